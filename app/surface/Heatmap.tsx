import { interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';
import { memo, useEffect, useId, useRef } from 'react';
import { logit, Z_LIMIT } from '../../src/analytic/surface';
import type { Surface } from '../../src/analytic/surface';

const LUT = Array.from({ length: 256 }, (_, i) => rgb(interpolateViridis(i / 255)));
const DISPLAY = 168;
const toX = (z: number) => ((z + Z_LIMIT) / (2 * Z_LIMIT)) * DISPLAY;
const toY = (z: number) => DISPLAY - ((z + Z_LIMIT) / (2 * Z_LIMIT)) * DISPLAY;

/** The image and its arrows: they change only with the surface, so slider drags skip them (memo). */
const SurfaceImage = memo(function SurfaceImage({ values, size, arrows }: { values: Float64Array; size: number; arrows?: Surface['arrows'] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const headId = useId();
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    const img = ctx.createImageData(size, size);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const c = Number.isFinite(v) ? LUT[Math.round(((v - lo) / (hi - lo || 1)) * 255)] : rgb(128, 128, 128);
      img.data.set([c.r, c.g, c.b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, size]);
  const longest = Math.max(1e-300, ...(arrows ?? []).map((a) => Math.hypot(a.dFg, a.dBg)));
  return (
    <>
      <canvas ref={ref} width={size} height={size} />
      <svg width={DISPLAY} height={DISPLAY} aria-hidden="true">
        <defs>
          <marker id={headId} viewBox="0 0 6 6" refX="5" refY="3" markerWidth="4" markerHeight="4" orient="auto">
            <path d="M0,0L6,3L0,6z" className="arrow-head" />
          </marker>
        </defs>
        {arrows?.map((a, i) => {
          // Arrow length on a log scale of the gradient norm, so that both large and vanishing gradients show.
          const norm = Math.hypot(a.dFg, a.dBg);
          if (!(norm > 0)) return <circle key={i} cx={toX(a.zFg)} cy={toY(a.zBg)} r={1} className="arrow-dot" />;
          const len = 3 + 9 * Math.max(0, 1 + Math.log10(norm / longest) / 6);
          const x0 = toX(a.zFg);
          const y0 = toY(a.zBg);
          return <line key={i} x1={x0} y1={y0} x2={x0 + (a.dFg / norm) * len} y2={y0 - (a.dBg / norm) * len} className="arrow" markerEnd={`url(#${headId})`} />;
        })}
      </svg>
    </>
  );
});

/**
 * A loss surface over (z_fg → right, z_bg → up) as a viridis image scaled to its own range, the gradient
 * descent direction of the two pixel groups as arrows, and the current prediction as a dot.
 */
export function Heatmap({ title, values, size, arrows, pFg, pBg, summary }: {
  title: string;
  values: Float64Array;
  size: number;
  arrows?: Surface['arrows'];
  pFg: number;
  pBg: number;
  summary: string;
}) {
  return (
    <figure className="heatmap">
      <figcaption>{title}</figcaption>
      <div className="heatmap-box" role="img" aria-label={summary}>
        <SurfaceImage values={values} size={size} arrows={arrows} />
        <svg width={DISPLAY} height={DISPLAY} aria-hidden="true">
          <circle cx={toX(logit(pFg))} cy={toY(logit(pBg))} r={4.5} className="current" />
        </svg>
      </div>
    </figure>
  );
}

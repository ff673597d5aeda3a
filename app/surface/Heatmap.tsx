import { memo, useEffect, useRef } from 'react';
import { logit } from '../../src/analytic/surface';
import type { Surface } from '../../src/analytic/surface';
import { DISPLAY, paintSurface, toX, toY, type SurfaceCells } from './paintSurface';

/**
 * The image and its arrows, on one canvas: they change only with the surface, so slider drags skip them (memo).
 */
const SurfaceImage = memo(function SurfaceImage({
  values,
  size,
  arrows,
}: {
  values: Float64Array;
  size: number;
  arrows?: Surface['arrows'];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const cells = useRef<SurfaceCells | null>(null);
  useEffect(() => {
    if (canvas.current) cells.current = paintSurface(canvas.current, { values, size, arrows }, window.devicePixelRatio || 1, cells.current);
  }, [values, size, arrows]);
  return <canvas ref={canvas} />;
});

/**
 * A loss surface over (z_fg → right, z_bg → up) as a viridis image scaled to its own range, the gradient
 * descent direction of the two pixel groups as arrows, and the current prediction as a dot.
 */
export function Heatmap({
  title,
  values,
  size,
  arrows,
  pFg,
  pBg,
  summary,
}: {
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

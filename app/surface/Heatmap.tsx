import { memo, useEffect, useId, useRef } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import { logit } from '../../src/analytic/surface';
import type { Surface } from '../../src/analytic/surface';
import { rgb } from 'd3-color';
import { VIRIDIS } from '../charts/viridis';
import { formatP } from './LogitSlider';
import type { ArrowScale, ColourDomain } from './mapScales';
import { DISPLAY, paintSurface, toX, toY, type SurfaceCells } from './paintSurface';
import './Heatmap.css';

/** Room around the map: the logit axes on the left and below, the colour bar on the right. */
const LEFT = 48;
const TOP = 6;
const BOTTOM = 40;
const BAR_GAP = 10;
const BAR = 9;
const RIGHT = BAR_GAP + BAR + 30;
export const HEATMAP_WIDTH = LEFT + DISPLAY + RIGHT;
const HEIGHT = TOP + DISPLAY + BOTTOM;
/** Labelled ticks, each with its logit and, beneath, its p; the map spans p = 0.0001 … 0.9999. */
const TICKS = [0.001, 0.5, 0.999];
/** Unlabelled ticks between them, at p = 0.01 and 0.99 (labels there would run into their neighbours'). */
const MINOR = [0.01, 0.99];
const zText = (p: number) => {
  const z = logit(p);
  return Math.abs(z) < 1e-9 ? '0' : `${z < 0 ? '−' : ''}${Math.abs(z).toFixed(1)}`;
};
const barText = sciFormat({ digits: 2, exponentDigits: 0, trim: true });
const STOPS = Array.from({ length: 9 }, (_, i) => {
  const [r, g, b] = VIRIDIS[Math.round((i / 8) * 255)];
  return { offset: i / 8, color: rgb(r, g, b).formatHex() };
});

/**
 * The image and its arrows, on one canvas: they change only with the surface, so slider drags skip them (memo).
 */
const SurfaceImage = memo(function SurfaceImage({
  values,
  size,
  arrows,
  domain,
  arrowScale,
}: {
  values: Float64Array;
  size: number;
  arrows?: Surface['arrows'];
  domain: ColourDomain;
  arrowScale: ArrowScale;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const cells = useRef<SurfaceCells | null>(null);
  useEffect(() => {
    if (canvas.current)
      cells.current = paintSurface(
        canvas.current,
        { values, size, arrows, domain, arrowScale },
        window.devicePixelRatio || 1,
        cells.current,
      );
  }, [values, size, arrows, domain, arrowScale]);
  return <canvas ref={canvas} style={{ left: LEFT, top: TOP }} />;
});

/** The logit axes (z, and p beneath it) and the colour bar with its range: SVG over the canvas. */
const Axes = memo(function Axes({ domain }: { domain: ColourDomain }) {
  const gradient = useId();
  return (
    <g>
      <defs>
        <linearGradient id={gradient} x1="0" y1="1" x2="0" y2="0">
          {STOPS.map((s) => (
            <stop key={s.offset} offset={s.offset} stopColor={s.color} />
          ))}
        </linearGradient>
      </defs>
      <g transform={`translate(${LEFT},${TOP + DISPLAY})`} className="tick">
        {MINOR.map((p) => (
          <line key={p} x1={toX(logit(p))} x2={toX(logit(p))} y2={3} />
        ))}
        {TICKS.map((p) => (
          <g key={p} transform={`translate(${toX(logit(p))},0)`}>
            <line y2={4} />
            <text y={14} textAnchor="middle">
              {zText(p)}
            </text>
            <text y={25} textAnchor="middle" className="p-tick">
              {formatP(p)}
            </text>
          </g>
        ))}
        <text x={DISPLAY / 2} y={37} textAnchor="middle" className="axis-title">
          z_fg, with p_fg under it →
        </text>
      </g>
      <g transform={`translate(${LEFT},${TOP})`} className="tick">
        {MINOR.map((p) => (
          <line key={p} x1={-3} y1={toY(logit(p))} y2={toY(logit(p))} />
        ))}
        {TICKS.map((p) => (
          <g key={p} transform={`translate(0,${toY(logit(p))})`}>
            <line x1={-4} />
            <text x={-6} y={-1} textAnchor="end">
              {zText(p)}
            </text>
            <text x={-6} y={9} textAnchor="end" className="p-tick">
              {formatP(p)}
            </text>
          </g>
        ))}
        <text transform={`translate(${-LEFT + 8},${DISPLAY / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
          z_bg, with p_bg under it →
        </text>
      </g>
      <g transform={`translate(${LEFT + DISPLAY + BAR_GAP},${TOP})`} className="tick">
        <rect width={BAR} height={DISPLAY} fill={`url(#${gradient})`} />
        {[domain.hi, (domain.lo + domain.hi) / 2, domain.lo].map((v, i) => (
          <g key={i} transform={`translate(${BAR},${(i * DISPLAY) / 2})`}>
            <line x2={3} />
            <text x={5} dy={i === 0 ? '0.7em' : i === 2 ? '-0.1em' : '0.32em'}>
              {barText(v)}
            </text>
          </g>
        ))}
      </g>
    </g>
  );
});

/**
 * A loss surface over (z_fg → right, z_bg → up) as a viridis image on its colour scale, with logit axes and a
 * colour bar, the gradient descent direction of the two pixel groups as arrows on the maps' shared length scale,
 * and the current prediction as a dot.
 */
export function Heatmap({
  title,
  values,
  size,
  arrows,
  domain,
  arrowScale,
  pFg,
  pBg,
  summary,
}: {
  title: string;
  values: Float64Array;
  size: number;
  arrows?: Surface['arrows'];
  domain: ColourDomain;
  arrowScale: ArrowScale;
  pFg: number;
  pBg: number;
  summary: string;
}) {
  return (
    <figure className="heatmap">
      <figcaption>{title}</figcaption>
      <div className="heatmap-box" role="img" aria-label={summary} style={{ width: HEATMAP_WIDTH, height: HEIGHT }}>
        <SurfaceImage values={values} size={size} arrows={arrows} domain={domain} arrowScale={arrowScale} />
        <svg width={HEATMAP_WIDTH} height={HEIGHT} aria-hidden="true">
          <Axes domain={domain} />
          <circle cx={LEFT + toX(logit(pFg))} cy={TOP + toY(logit(pBg))} r={4.5} className="current" />
        </svg>
      </div>
    </figure>
  );
}

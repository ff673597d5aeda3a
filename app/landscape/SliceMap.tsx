import { useEffect, useMemo, useRef } from 'react';
import { VIRIDIS } from '../charts/viridis';
import { contourPaths, pixelOf, position, sampleAt, type Domain } from './sliceScales';
import './SliceMap.css';

/** The side of a slice map on the page, in CSS pixels. */
export const MAP_SIZE = 168;
const GREY = [128, 128, 128] as const;
/** The colour scale's legend: viridis as a CSS gradient. */
const RAMP = `linear-gradient(to right, ${VIRIDIS.filter((_, i) => i % 32 === 0 || i === 255)
  .map(([r, g, b]) => `rgb(${r},${g},${b})`)
  .join(', ')})`;

export interface SliceMapProps {
  title: string;
  x: readonly number[];
  y: readonly number[];
  /** Row-major, y[0]'s row first. */
  values: readonly number[];
  domain: Domain;
  log: boolean;
  xLabel: string;
  yLabel: string;
  /** The trajectory's checkpoints on the map's axes (PCA slices), oldest first; it ends at the centre. */
  trajectory?: { pc1: readonly number[]; pc2: readonly number[] };
  /** The cell picked, if any. */
  picked?: { i: number; j: number } | null;
  /** Without it the map is a picture (a precomputed figure, with no net to ask for predictions). */
  onPick?: (i: number, j: number) => void;
  summary: string;
  format: (v: number) => string;
}

/** The cells as an image of the grid's own size, y up, smoothed when the canvas scales it to the map. */
function paint(canvas: HTMLCanvasElement, values: readonly number[], nx: number, ny: number, domain: Domain, log: boolean) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(MAP_SIZE * dpr);
  const cells = document.createElement('canvas');
  cells.width = nx;
  cells.height = ny;
  const small = cells.getContext('2d');
  const ctx = canvas.getContext('2d');
  if (!small || !ctx) return;
  const img = small.createImageData(nx, ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const t = position(values[j * nx + i], domain, log);
      const [r, g, b] = Number.isNaN(t) ? GREY : VIRIDIS[Math.round(t * 255)];
      const at = ((ny - 1 - j) * nx + i) * 4;
      img.data.set([r, g, b, 255], at);
    }
  small.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(cells, 0, 0, canvas.width, canvas.height);
}

/**
 * One slice of the landscape: the values as a viridis image with contour lines (d3-contour computes, React
 * draws), the trained weights at the centre, the trajectory when the axes are PCA's, and the picked point. A
 * click (or Enter on a focused map, which picks the centre) asks for the net's predictions there.
 */
export function SliceMap(props: SliceMapProps) {
  const { title, x, y, values, domain, log, xLabel, yLabel, trajectory, picked, onPick, summary, format } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const nx = x.length;
  const ny = y.length;
  useEffect(() => {
    if (canvas.current) paint(canvas.current, values, nx, ny, domain, log);
  }, [values, nx, ny, domain, log]);
  const lines = useMemo(() => contourPaths(values, nx, ny, domain, log, MAP_SIZE, MAP_SIZE), [values, nx, ny, domain, log]);
  const px = (a: number) => pixelOf(a, x, MAP_SIZE);
  const py = (b: number) => MAP_SIZE - pixelOf(b, y, MAP_SIZE);
  const track = trajectory && [
    ...trajectory.pc1.map((a, k) => `${px(a).toFixed(1)},${py(trajectory.pc2[k]).toFixed(1)}`),
    `${px(0)},${py(0)}`,
  ];
  const centre = { i: sampleAt(px(0), x, MAP_SIZE), j: sampleAt(MAP_SIZE - py(0), y, MAP_SIZE) };
  // The map is drawn in MAP_SIZE units and shown at the size the style sheet gives it (smaller on a phone).
  const click = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const u = (e.clientX - box.left) * (MAP_SIZE / box.width);
    const v = (e.clientY - box.top) * (MAP_SIZE / box.height);
    onPick?.(sampleAt(u, x, MAP_SIZE), sampleAt(MAP_SIZE - v, y, MAP_SIZE));
  };
  const interaction = onPick
    ? {
        role: 'button',
        tabIndex: 0,
        'aria-label': `${summary}. Click a point (Enter: the centre) to see the predictions of the net there.`,
        onClick: click,
        onKeyDown: (e: React.KeyboardEvent<SVGSVGElement>) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onPick(centre.i, centre.j);
          }
        },
      }
    : { role: 'img', 'aria-label': summary, className: 'still' };
  return (
    <figure className="slice-map">
      <figcaption>{title}</figcaption>
      <div className="slice-frame">
        <span className="slice-ylabel">{yLabel}</span>
        <div className="slice-box">
          <canvas ref={canvas} />
          <svg viewBox={`0 0 ${MAP_SIZE} ${MAP_SIZE}`} {...interaction}>
            {lines.map((d, k) => (
              <path key={k} d={d} className="contour" />
            ))}
            {track && <polyline points={track.join(' ')} className="trajectory" />}
            {track &&
              trajectory.pc1.map((a, k) => <circle key={k} cx={px(a)} cy={py(trajectory.pc2[k])} r={2.2} className="trajectory-point" />)}
            <circle cx={px(0)} cy={py(0)} r={4.5} className="current" />
            {picked && <rect x={px(x[picked.i]) - 5} y={py(y[picked.j]) - 5} width={10} height={10} className="picked" />}
          </svg>
        </div>
      </div>
      <div className="slice-xlabel">{xLabel}</div>
      <div className="slice-scale" aria-hidden="true">
        <span>{format(domain[0])}</span>
        <span className="slice-ramp" style={{ background: RAMP }} />
        <span>{format(domain[1])}</span>
      </div>
    </figure>
  );
}

import { scaleLinear } from 'd3-scale';
import type { ImageScores as Scores, ScoredImage } from '../../src/analytic/aggregation';
import { useWidth } from '../charts/lineChart';
import './ImageScores.css';

const AXIS = 30;
/** Between the images' bars and the pooled bar: room for the mean's value at the end of its line. */
const GAP = 40;
const POOLED = 44;
const BARS = 110;
const LABEL = 14;
const value = (v: number) => (v === 0 || v === 1 ? String(v) : v.toFixed(2));
const ticks = [0, 0.5, 1];

/** An image as a mask: its frame, its object (outlined, to scale), filled where the model predicts object. */
function Thumb({ image, side }: { image: ScoredImage; side: number }) {
  const obj = image.object > 0 ? side * Math.sqrt(image.object / image.pixels) : 0;
  const at = (side - obj) / 2;
  return (
    <g>
      <rect width={side} height={side} className="thumb-frame" />
      {image.falseAlarms > 0 && <rect width={side} height={side} className="thumb-predicted" opacity={0.45} />}
      {obj > 0 && (
        <rect x={at} y={at} width={obj} height={obj} className={image.found > 0 ? 'thumb-object thumb-predicted' : 'thumb-object'} />
      )}
    </g>
  );
}

/**
 * A set of images as masks, the hard IoU of each as a bar under it with their mean as a dashed line, and beside
 * them the one IoU of the whole set (Σ I / Σ U): the two ways of averaging, side by side.
 */
export function ImageScores({
  scores,
  meanLabel,
  pooledLabel,
  pooledShort,
}: {
  scores: Scores;
  meanLabel: string;
  pooledLabel: string;
  /** The pooled bar's name under it, in a word or two. */
  pooledShort: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const n = scores.images.length;
  const column = Math.max(12, Math.min(72, (width - AXIS - GAP - POOLED) / n));
  const side = Math.min(44, column - 4);
  // Room under the thumbnails for a full bar's value.
  const barsTop = side + 16;
  const y = scaleLinear()
    .domain([0, 1])
    .range([barsTop + BARS, barsTop]);
  const right = AXIS + n * column;
  const pooledX = right + GAP;
  const height = barsTop + BARS + LABEL + 6;
  const bar = Math.max(6, column * 0.6);
  const summary = `Hard IoU of each image: ${scores.perImage.map(value).join(', ')}; ${meanLabel} ${scores.mean.toFixed(2)}; ${pooledLabel} ${scores.pooled.toFixed(2)}.`;
  return (
    <div className="image-scores">
      <div ref={ref} role="img" aria-label={summary}>
        <svg width={Math.min(width, pooledX + POOLED)} height={height} aria-hidden="true">
          {ticks.map((t) => (
            <g key={t} transform={`translate(0,${y(t)})`} className="tick">
              <line x1={AXIS} x2={right} className="grid" />
              <text x={AXIS - 5} dy="0.32em" textAnchor="end">
                {t}
              </text>
            </g>
          ))}
          {scores.images.map((im, i) => {
            const x = AXIS + i * column;
            const v = scores.perImage[i];
            return (
              <g key={i} transform={`translate(${x},0)`}>
                <g transform={`translate(${(column - side) / 2},0)`}>
                  <Thumb image={im} side={side} />
                </g>
                <rect x={(column - bar) / 2} y={y(v)} width={bar} height={Math.max(1.5, y(0) - y(v))} className="bar-image" />
                {column >= 16 && (
                  <text x={column / 2} y={y(v) - 3} textAnchor="middle" className="bar-value">
                    {value(v)}
                  </text>
                )}
              </g>
            );
          })}
          <line x1={AXIS} x2={right + 6} y1={y(scores.mean)} y2={y(scores.mean)} className="mean-line" />
          <text x={right + 8} y={y(scores.mean)} dy="0.32em" className="mean-value">
            {scores.mean.toFixed(2)}
          </text>
          <rect
            x={pooledX + (POOLED - bar * 1.4) / 2}
            y={y(scores.pooled)}
            width={bar * 1.4}
            height={Math.max(1.5, y(0) - y(scores.pooled))}
            className="bar-pooled"
          />
          <text x={pooledX + POOLED / 2} y={y(scores.pooled) - 3} textAnchor="middle" className="bar-value">
            {scores.pooled.toFixed(2)}
          </text>
          <line x1={AXIS} x2={pooledX + POOLED} y1={y(0)} y2={y(0)} className="axis" />
          <text x={(AXIS + right) / 2} y={y(0) + LABEL} textAnchor="middle" className="group-label">
            each image
          </text>
          <text x={pooledX + POOLED / 2} y={y(0) + LABEL} textAnchor="middle" className="group-label">
            {pooledShort}
          </text>
        </svg>
      </div>
      <ul className="run-legend image-scores-key">
        <li>
          <svg width={22} height={10} aria-hidden="true">
            <line x1={1} x2={21} y1={5} y2={5} className="mean-line" />
          </svg>{' '}
          {meanLabel}
        </li>
        <li>
          <span className="swatch bar-pooled-swatch" /> {pooledLabel}
        </li>
        <li>
          <svg width={14} height={14} aria-hidden="true">
            <rect x={1} y={1} width={12} height={12} className="thumb-frame" />
            <rect x={4} y={4} width={6} height={6} className="thumb-object" />
          </svg>{' '}
          object
        </li>
        <li>
          <svg width={14} height={14} aria-hidden="true">
            <rect x={1} y={1} width={12} height={12} className="thumb-frame" />
            <rect x={4} y={4} width={6} height={6} className="thumb-object thumb-predicted" />
          </svg>{' '}
          predicted as object
        </li>
      </ul>
    </div>
  );
}

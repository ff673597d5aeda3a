import { scaleLinear, scaleLog } from 'd3-scale';
import { sciFormat } from '../../src/domain/numberText';
import { line } from 'd3-shape';
import { useMemo } from 'react';
import type { LandscapeRun } from '../../src/landscape/raceLandscape';
import { useWidth } from '../charts/lineChart';
import './PathChart.css';

const MARGIN = { top: 12, right: 40, bottom: 30, left: 48 };
const HEIGHT = 190;
const fmt = sciFormat({ digits: 2, exponentDigits: 0, trim: true });

/** d3's log ticks are every multiple of each power of ten, which crowd a short axis: the powers of ten, or 1, 2 and 5 times them. */
function logTicks(ticks: number[]): number[] {
  const mantissa = (t: number) => Number((t / 10 ** Math.floor(Math.log10(t) + 1e-9)).toPrecision(1));
  const decades = ticks.filter((t) => mantissa(t) === 1);
  return decades.length >= 3 ? decades : ticks.filter((t) => [1, 2, 5].includes(mantissa(t)));
}

/**
 * The path θ(α) = θ₀ + α(θ_t − θ₀): the run's loss on the left axis (linear or log) and its validation hard IoU on
 * the right one ([0, 1]), with θ₀ and θ_t marked (d3 computes, React draws).
 */
export function PathChart({ run, color, log }: { run: LandscapeRun; color: string; log: boolean }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const { alpha, loss, iou } = run.path;
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([alpha[0], alpha[alpha.length - 1]])
        .range([0, innerW]),
    [alpha, innerW],
  );
  const y = useMemo(() => {
    const finite = loss.filter((v) => Number.isFinite(v) && (!log || v > 0));
    // A run that diverged has no finite loss to scale to: an empty chart on [0, 1] (or [0.1, 1] on a log axis).
    const lo = finite.length ? Math.min(...finite) : log ? 0.1 : 0;
    const hi = finite.length ? Math.max(...finite) : 1;
    const scale = log ? scaleLog().domain([lo, hi > lo ? hi : lo * 10]) : scaleLinear().domain([Math.min(0, lo), hi > lo ? hi : lo + 1]);
    return scale.range([innerH, 0]).nice();
  }, [loss, log, innerH]);
  const yIou = useMemo(() => scaleLinear().domain([0, 1]).range([innerH, 0]), [innerH]);
  const lossPath = line<number>()
    .defined((v) => Number.isFinite(v) && (!log || v > 0))
    .x((_, i) => x(alpha[i]))
    .y((v) => y(v))(loss);
  const iouPath = line<number>()
    .defined(Number.isFinite)
    .x((_, i) => x(alpha[i]))
    .y((v) => yIou(v))(iou);
  const yTicks = log ? logTicks(y.ticks(3) as number[]) : (y.ticks(4) as number[]);
  const at = (series: number[], a: number) => {
    const v = series[alpha.indexOf(a)];
    return Number.isFinite(v) ? v.toPrecision(3) : '–';
  };
  return (
    <figure className="path-chart">
      <figcaption>
        Path θ₀ + α(θ<sub>t</sub> − θ₀)
        <span className="path-legend">
          <span className="legend-line" style={{ borderColor: color }} /> loss
          <span className="legend-line legend-dashed" /> IoU
        </span>
      </figcaption>
      <div
        className="chart"
        ref={ref}
        role="img"
        aria-label={`${run.loss.id} along the path: loss ${at(loss, 0)} at the start, ${at(loss, 1)} at the trained weights; IoU from ${at(iou, 0)} to ${at(iou, 1)}`}
      >
        <svg width={width} height={HEIGHT} aria-hidden="true">
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {yTicks.map((t) => (
              <g key={`y${t}`} transform={`translate(0,${y(t)})`} className="tick">
                <line x2={innerW} className="grid" />
                <text x={-6} dy="0.32em" textAnchor="end">
                  {fmt(t)}
                </text>
              </g>
            ))}
            {[0, 0.5, 1].map((t) => (
              <g key={`r${t}`} transform={`translate(${innerW},${yIou(t)})`} className="tick">
                <text x={6} dy="0.32em">
                  {t}
                </text>
              </g>
            ))}
            {[-0.5, 0, 0.5, 1, 1.5].map((t) => (
              <g key={`x${t}`} transform={`translate(${x(t)},${innerH})`} className="tick">
                <line y2={5} />
                <text y={17} textAnchor="middle">
                  {t}
                </text>
              </g>
            ))}
            <line y1={innerH} y2={innerH} x2={innerW} className="axis" />
            {[0, 1].map((a) => (
              <g key={a} transform={`translate(${x(a)},0)`} className="path-mark">
                <line y2={innerH} />
                <text y={-2} textAnchor="middle">
                  {a === 0 ? 'θ₀' : 'θt'}
                </text>
              </g>
            ))}
            <path d={iouPath ?? ''} fill="none" className="path-iou" strokeWidth={1.6} strokeDasharray="5 3" />
            <path d={lossPath ?? ''} fill="none" stroke={color} strokeWidth={2} />
          </g>
        </svg>
      </div>
    </figure>
  );
}

import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { bisectLeft } from 'd3-array';
import { createContext, memo, useContext, useEffect, useId, useMemo, useRef, useState } from 'react';
import { decimate } from './decimate';
import './lineChart.css';

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  dashed?: boolean;
  /** Step at which the run diverged: drawn as a marker, not as a broken line. */
  divergedAt?: number | null;
  /** The series has no value from this step on (its run diverged there): readouts say so instead of the last value. */
  endsAt?: number | null;
}

export interface LineChartProps {
  title: string;
  series: ChartSeries[];
  yScale: 'linear' | 'log';
  yDomain?: [number, number];
  xMax: number;
  hoverStep: number | null;
  onHover: (step: number | null) => void;
  format: (y: number) => string;
  height?: number;
  /** For x axes that are not steps: the domain, the tick positions and their labels. */
  xDomain?: [number, number];
  xTicks?: number[];
  xFormat?: (x: number) => string;
  /** A vertical line at this x (e.g. a slider's position). */
  marker?: number | null;
}

const MARGIN = { top: 10, right: 14, bottom: 28, left: 52 };

/**
 * The step a race's claims are measured at (a tour chapter's, or the first page's while its hint is shown), or null.
 * A chart on a step axis under it spans 0…that step from the start, so the stretch the text speaks of never squeezes
 * as the race runs on, and marks it "claims measured here". The race's charts provide it (LiveCharts), so every
 * chart of the race has it without each panel passing it on.
 */
export const MeasuredStep = createContext<number | null>(null);

export function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(320);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** The value of a series at a step (the last point at or before it); none once the series has ended. */
export function valueAt(s: ChartSeries, step: number): number | undefined {
  if (s.endsAt != null && step >= s.endsAt) return undefined;
  const i = bisectLeft(s.x as number[], step + 1e-9) - 1;
  return i >= 0 ? s.y[i] : undefined;
}

/** Whether a tick is 1, 2, … 9 times a power of ten with this leading digit. */
const leading = (t: number, digits: number[]) => digits.some((d) => Math.abs(t / 10 ** Math.floor(Math.log10(t) + 1e-9) - d) < 1e-6);

/**
 * A log axis's ticks among d3's 1…9 × 10^k: the powers of ten when there are three or more, else 1 and 3 × 10^k
 * (half decades) when they are few enough, so that the labels read as a regular scale.
 */
export function logTicks(all: number[]): number[] {
  const powers = all.filter((t) => leading(t, [1]));
  if (powers.length >= 3) return powers.filter((_, i, a) => a.length <= 6 || i % Math.ceil(a.length / 5) === 0);
  const halves = all.filter((t) => leading(t, [1, 3]));
  if (halves.length >= 3 && halves.length <= 6) return halves;
  return all.filter((_, i, a) => a.length <= 6 || i % Math.ceil(a.length / 5) === 0);
}

type XScale = ReturnType<typeof scaleLinear<number, number>>;
type YScale = XScale | ReturnType<typeof scaleLog<number, number>>;

/** Where a value sits vertically: zeros on a log axis go to its floor. */
const yOf = (y: YScale, yScale: 'linear' | 'log', innerH: number, v: number) => (yScale === 'log' && v === 0 ? innerH : y(v));

interface ChartBodyProps {
  clipId: string;
  innerW: number;
  innerH: number;
  x: XScale;
  y: YScale;
  yScale: 'linear' | 'log';
  drawn: (ChartSeries & { d: { x: number[]; y: number[] } })[];
  paths: string[];
  /** A log axis with exact zeros to show: they sit on the floor, which is labelled 0. */
  zeroFloor: boolean;
  fixedXTicks?: number[];
  format: (y: number) => string;
  xFormat: (x: number) => string;
}

/**
 * Axes, lines and divergence markers: everything that changes with the data or the size, not with a hover or a
 * slider's marker. Memoised, so moving those redraws only the overlay.
 */
const ChartBody = memo(function ChartBody({
  clipId,
  innerW,
  innerH,
  x,
  y,
  yScale,
  drawn,
  paths,
  zeroFloor,
  fixedXTicks,
  format,
  xFormat,
}: ChartBodyProps) {
  // A tick on the floor would print over its "0".
  const floorClear = (t: number) => !zeroFloor || innerH - y(t) > 12;
  const yTicks = (yScale === 'log' ? logTicks(y.ticks(4) as number[]) : (y.ticks(5) as number[])).filter(floorClear);
  const xTicks = fixedXTicks ?? x.ticks(Math.max(2, Math.floor(innerW / 80)));
  return (
    <>
      <defs>
        <clipPath id={clipId}>
          <rect width={innerW} height={innerH} />
        </clipPath>
      </defs>
      {yTicks.map((t) => (
        <g key={`y${t}`} transform={`translate(0,${y(t)})`} className="tick">
          <line x2={innerW} className="grid" />
          <text x={-6} dy="0.32em" textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t}`} transform={`translate(${x(t)},${innerH})`} className="tick">
          <line y2={5} />
          <text y={17} textAnchor="middle">
            {xFormat(t)}
          </text>
        </g>
      ))}
      <line y1={innerH} y2={innerH} x2={innerW} className="axis" />
      {zeroFloor && (
        <text className="zero-floor" x={-6} y={innerH} dy="-0.2em" textAnchor="end" data-testid="zero-floor">
          0
        </text>
      )}
      <g clipPath={`url(#${clipId})`}>
        {drawn.map((s, i) => (
          <path key={s.id} d={paths[i]} fill="none" stroke={s.color} strokeWidth={1.8} strokeDasharray={s.dashed ? '5 3' : undefined} />
        ))}
      </g>
      {drawn.map((s) => {
        if (s.divergedAt == null) return null;
        const lastY = s.d.y.at(-1);
        const cx = x(s.divergedAt);
        const cy = lastY === undefined ? innerH / 2 : yOf(y, yScale, innerH, lastY);
        return (
          <g key={`div-${s.id}`} transform={`translate(${cx},${cy})`} className="diverged">
            <path d="M-5,-5L5,5M-5,5L5,-5" stroke={s.color} strokeWidth={2.5} />
            <text x={-8} y={-8} textAnchor="end" fill={s.color}>{`diverged at ${s.divergedAt}`}</text>
          </g>
        );
      })}
    </>
  );
});

type Drawn = ChartBodyProps['drawn'];

/** The y scale of what is drawn: the given domain, or the data's range padded (a log axis spans at least a decade). */
function useYScale(drawn: Drawn, yScale: 'linear' | 'log', yDomain: [number, number] | undefined, innerH: number): YScale {
  const [yLo, yHi] = yDomain ?? [NaN, NaN];
  return useMemo((): YScale => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of drawn) {
      for (const v of s.d.y) {
        if (yScale === 'log' && v <= 0) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    const fixed = Number.isFinite(yLo) && Number.isFinite(yHi);
    if (fixed) [lo, hi] = [yLo, yHi];
    if (!Number.isFinite(lo)) [lo, hi] = yScale === 'log' ? [1e-4, 1] : [0, 1];
    if (yScale === 'log') {
      const a = Math.max(lo, 1e-12);
      const b = Math.max(hi, a * 10);
      return scaleLog()
        .domain([a / 1.5, b * 1.5])
        .range([innerH, 0])
        .clamp(true);
    }
    const pad = hi === lo ? Math.abs(hi) * 0.1 || 1 : (hi - lo) * 0.05;
    return scaleLinear()
      .domain(fixed ? [lo, hi] : [lo - pad, hi + pad])
      .range([innerH, 0])
      .nice();
  }, [drawn, yLo, yHi, yScale, innerH]);
}

/** What moves without the data: a slider's marker, the measured step's line, and the hover's crosshair and dots. */
function Overlay({
  x,
  y,
  yScale,
  innerH,
  drawn,
  marker,
  measuredAt,
  hoverStep,
}: {
  x: XScale;
  y: YScale;
  yScale: 'linear' | 'log';
  innerH: number;
  drawn: Drawn;
  marker: number | null;
  measuredAt: number | null;
  hoverStep: number | null;
}) {
  const hoverX = hoverStep === null ? null : x(hoverStep);
  return (
    <>
      {marker !== null && <line className="marker" x1={x(marker)} x2={x(marker)} y2={innerH} />}
      {measuredAt !== null && (
        <g className="measured-marker" transform={`translate(${x(measuredAt)},0)`} data-testid="measured-marker">
          <line y2={innerH} />
          {/* Along the line, reading upwards from its top: it fits a phone's narrow chart wherever the line is. */}
          <text transform="rotate(-90)" x={-4} y={-4} textAnchor="end">
            claims measured here
          </text>
        </g>
      )}
      {hoverX !== null && hoverStep !== null && (
        <g className="crosshair">
          <line x1={hoverX} x2={hoverX} y2={innerH} />
          {drawn.map((s) => {
            const v = valueAt(s, hoverStep);
            return v === undefined || !Number.isFinite(v) || (yScale === 'log' && v < 0) ? null : (
              <circle key={s.id} cx={hoverX} cy={yOf(y, yScale, innerH, v)} r={3.5} fill={s.color} />
            );
          })}
        </g>
      )}
    </>
  );
}

/** Every series' value at the hovered step, under the chart. */
function Readout({
  series,
  hoverStep,
  format,
  at,
}: {
  series: ChartSeries[];
  hoverStep: number;
  format: (y: number) => string;
  /** The first line: where the hover is. */
  at: string;
}) {
  return (
    <ul className="chart-readout" aria-hidden="true">
      <li className="readout-step">{at}</li>
      {series.map((s) => {
        const v = valueAt(s, hoverStep);
        return (
          <li key={s.id}>
            <span className="swatch" style={{ background: s.color }} /> {s.label}:{' '}
            {v !== undefined ? format(v) : s.endsAt != null && hoverStep >= s.endsAt ? `diverged at ${s.endsAt}` : '–'}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A line chart on a shared step axis (visx style: d3 computes scales and paths, React draws the elements).
 * Hovering reports the step so that every chart can show its crosshair there.
 */
export function LineChart({
  title,
  series,
  yScale,
  yDomain,
  xMax,
  hoverStep,
  onHover,
  format,
  height = 200,
  xDomain,
  xTicks: fixedXTicks,
  xFormat = String,
  marker = null,
}: LineChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const clipId = useId();
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;

  // Two points (a minimum and a maximum) per pixel column draw the same picture as any more would.
  const budget = Math.max(200, 2 * innerW);
  // On a log axis an exact 0 (a gradient that vanished) is kept and drawn on the floor; negatives cannot be shown.
  const drawn = useMemo(
    () => series.map((s) => ({ ...s, d: decimate(s.x, yScale === 'log' ? s.y.map((v) => (v >= 0 ? v : NaN)) : s.y, budget) })),
    [series, yScale, budget],
  );
  const zeroFloor = yScale === 'log' && drawn.some((s) => s.d.y.includes(0));

  const measured = useContext(MeasuredStep);
  // Only a step axis has a measured step.
  const measuredAt = xDomain ? null : measured;
  const [x0, x1] = xDomain ?? [0, Math.max(10, xMax, measuredAt ?? 0)];
  const x = useMemo(() => scaleLinear().domain([x0, x1]).range([0, innerW]), [x0, x1, innerW]);
  const y = useYScale(drawn, yScale, yDomain, innerH);

  // Paths are the costly part of a redraw; a hover or a marker move must not rebuild them.
  const paths = useMemo(() => {
    // The x values are the data and the index finds y: no point objects to allocate on every redraw.
    return drawn.map(
      (s) =>
        line<number>()
          .x((v) => x(v))
          .y((_, i) => yOf(y, yScale, innerH, s.d.y[i]))(s.d.x) ?? '',
    );
  }, [drawn, x, y, yScale, innerH]);

  const onMove = (e: React.PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const at = x.invert(e.clientX - box.left);
    onHover(Math.max(x0, Math.min(x1, xDomain ? at : Math.round(at))));
  };

  return (
    <div ref={ref} className="chart">
      <svg width={width} height={height} aria-hidden="true" focusable="false">
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          <ChartBody
            clipId={clipId}
            innerW={innerW}
            innerH={innerH}
            x={x}
            y={y}
            yScale={yScale}
            drawn={drawn}
            paths={paths}
            zeroFloor={zeroFloor}
            fixedXTicks={fixedXTicks}
            format={format}
            xFormat={xFormat}
          />
          <Overlay
            x={x}
            y={y}
            yScale={yScale}
            innerH={innerH}
            drawn={drawn}
            marker={marker}
            measuredAt={measuredAt}
            hoverStep={hoverStep}
          />
          <rect width={innerW} height={innerH} fill="transparent" onPointerMove={onMove} onPointerLeave={() => onHover(null)} />
        </g>
      </svg>
      {hoverStep !== null && (
        <Readout series={series} hoverStep={hoverStep} format={format} at={xDomain ? `at ${xFormat(hoverStep)}` : `step ${hoverStep}`} />
      )}
      <span className="visually-hidden">{title}</span>
    </div>
  );
}

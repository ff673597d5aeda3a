// The scales of the tour's precomputed figures (d3 computes, the components draw): the plateau chart's log–log axes,
// points and fitted line, and the one colour range the landscape figure's loss maps share across runs.
import { scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { LandscapeRun } from '../../src/landscape/raceLandscape';
import type { PlateauFigure } from '../../src/tour/figureFiles';
import { fitAt, type LogLogFit } from '../../src/tour/logLogFit';
import type { Domain, MapKind } from '../landscape/sliceScales';

export const PLATEAU_MARGIN = { top: 14, right: 14, bottom: 44, left: 50 };
/** Below this many pixels between priors only the powers of ten are labelled (the others keep their tick). */
const LABEL_ROOM = 52;

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A number as a power of ten: "10⁻²", "3·10⁻⁵". */
export function powerText(x: number): string {
  const e = Math.floor(Math.log10(x) + 1e-9);
  const m = Number((x / 10 ** e).toPrecision(2));
  const power = `10${String(e)
    .split('')
    .map((c) => SUPERSCRIPT[c])
    .join('')}`;
  return m === 1 ? power : `${m}·${power}`;
}

/** A step count as the text writes it: thousands grouped by a thin space ("2 255"). */
export const stepsText = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');

/** A slope as the text writes it, with a minus sign: "−0.89". */
export const slopeText = (slope: number): string => slope.toFixed(2).replace('-', '−');

export interface PlateauPoint {
  prior: number;
  /** Null: it did not pass within the figure's steps (drawn at the cap). */
  steps: number | null;
  x: number;
  y: number;
}

export interface PlateauLayout {
  innerW: number;
  innerH: number;
  xTicks: { x: number; label: string | null }[];
  yTicks: { y: number; label: string }[];
  /** Per run, in the figure's order: its points and the line through those that passed. */
  runs: { points: PlateauPoint[]; path: string }[];
  /** The fitted line of the run it is asked for, from the lowest prior to the highest. */
  fit: { x1: number; y1: number; x2: number; y2: number; fit: LogLogFit } | null;
}

/**
 * Where everything of the plateau chart goes in a `width` × `height` box: the priors on a log axis (ticks at the
 * priors themselves), the steps on a log axis (ticks 10, 30, 100, 300, …), and the line fitted to `fitted`'s points.
 */
export function plateauLayout(figure: PlateauFigure, width: number, height: number, fitted: number): PlateauLayout {
  const innerW = Math.max(10, width - PLATEAU_MARGIN.left - PLATEAU_MARGIN.right);
  const innerH = Math.max(10, height - PLATEAU_MARGIN.top - PLATEAU_MARGIN.bottom);
  const { priors, maxSteps } = figure;
  const all = figure.runs.flatMap((r) => r.steps.map((s) => s ?? maxSteps));
  const x = scaleLog()
    .domain([Math.min(...priors) / 1.6, Math.max(...priors) * 1.6])
    .range([0, innerW]);
  const y = scaleLog()
    .domain([Math.max(1, Math.min(...all) / 1.6), Math.max(...all) * 1.6])
    .range([innerH, 0]);
  const spacing = innerW / Math.max(1, priors.length);
  const xTicks = priors.map((p) => {
    const text = powerText(p);
    return { x: x(p), label: spacing >= LABEL_ROOM || text.startsWith('10') ? text : null };
  });
  const [lo, hi] = y.domain();
  const yTicks = [];
  for (let decade = 10 ** Math.floor(Math.log10(lo)); decade <= hi; decade *= 10)
    for (const v of [decade, 3 * decade]) if (v >= lo && v <= hi) yTicks.push({ y: y(v), label: stepsText(v) });
  const runs = figure.runs.map((run) => {
    const points = priors.map((prior, i) => ({ prior, steps: run.steps[i], x: x(prior), y: y(run.steps[i] ?? maxSteps) }));
    const path =
      line<PlateauPoint>()
        .defined((p) => p.steps !== null)
        .x((p) => p.x)
        .y((p) => p.y)(points) ?? '';
    return { points, path };
  });
  const fit = figure.runs[fitted]?.fit ?? null;
  // Across every prior, so that where the points leave the line (the priors it was not fitted to) shows.
  const [lowest, highest] = [Math.min(...priors), Math.max(...priors)];
  return {
    innerW,
    innerH,
    xTicks,
    yTicks,
    runs,
    fit: fit && { x1: x(lowest), y1: y(fitAt(fit, lowest)), x2: x(highest), y2: y(fitAt(fit, highest)), fit },
  };
}

/** One range for a kind of map over every run shown, so that the runs' maps share a colour scale. */
export function sharedDomain(runs: readonly LandscapeRun[], kind: MapKind, log: boolean): Domain {
  const values = runs.flatMap((r) => r.slice[kind]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  return values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
}

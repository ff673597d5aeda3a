// How the landscape's maps are coloured and contoured: one value range per comparable group of maps (the IoU
// maps share [0, 1], the BCE maps of every run share theirs, a loss's maps share theirs across runs of that
// loss), optionally on a log scale, and contour levels evenly spaced on the same scale.
import { contours } from 'd3-contour';
import type { LandscapeRun } from '../../src/landscape/raceLandscape';

export type MapKind = 'loss' | 'iou' | 'bce';
export const MAP_KINDS: readonly MapKind[] = ['loss', 'iou', 'bce'];
export type Domain = [number, number];

/** Below this a log scale has no use: values are clamped to it (a loss of exactly 0). */
const LOG_FLOOR = 1e-12;

export const usesLog = (kind: MapKind, log: boolean) => log && kind !== 'iou';

/** Which maps share a colour scale. */
export const groupOf = (run: LandscapeRun, kind: MapKind): string => (kind === 'loss' ? `loss:${JSON.stringify(run.loss)}` : kind);

/** The value range of every group of maps over the runs shown. */
export function domains(runs: readonly LandscapeRun[]): Map<string, Domain> {
  const out = new Map<string, Domain>([['iou', [0, 1]]]);
  for (const run of runs)
    for (const kind of ['loss', 'bce'] as const) {
      const key = groupOf(run, kind);
      let [lo, hi] = out.get(key) ?? [Infinity, -Infinity];
      for (const v of run.slice[kind])
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      out.set(key, [lo, hi]);
    }
  return out;
}

/** A value's place in its domain, 0 to 1 (NaN for a value that is not finite). */
export function position(v: number, [lo, hi]: Domain, log: boolean): number {
  if (!Number.isFinite(v)) return NaN;
  const f = log ? (x: number) => Math.log(Math.max(x, LOG_FLOOR)) : (x: number) => x;
  const span = f(hi) - f(lo);
  return span > 0 ? Math.min(1, Math.max(0, (f(v) - f(lo)) / span)) : 0.5;
}

/**
 * The contour lines of a map as SVG paths in a `width` × `height` box, y up: `levels` levels evenly spaced on
 * the colour scale. A flat map (all one value) has none.
 */
export function contourPaths(
  values: readonly number[],
  nx: number,
  ny: number,
  domain: Domain,
  log: boolean,
  width: number,
  height: number,
  levels = 9,
): string[] {
  // On the colour scale, so that the lines are evenly spaced in colour; a value that is not finite is the top.
  const t = values.map((v) => (Number.isFinite(v) ? position(v, domain, log) : 1));
  const lo = Math.min(...t);
  const hi = Math.max(...t);
  if (!(hi - lo > 1e-9)) return [];
  const thresholds = Array.from({ length: levels }, (_, i) => (i + 1) / (levels + 1)).filter((l) => l > lo && l < hi);
  // d3-contour puts sample i of a row at the centre of cell [i, i + 1]; rows run up the map (y[0] at the bottom).
  const sx = width / nx;
  const sy = height / ny;
  return contours()
    .size([nx, ny])
    .thresholds(thresholds)(t)
    .map((c) =>
      c.coordinates
        .flatMap((polygon) =>
          polygon.map((ring) => `M${ring.map(([x, y]) => `${(x * sx).toFixed(1)},${(height - y * sy).toFixed(1)}`).join('L')}Z`),
        )
        .join(''),
    )
    .filter((d) => d.length > 0);
}

/** Where coordinate `v` of an axis sampled at `axis` falls, in a box `length` long (sample i at the centre of cell i). */
export function pixelOf(v: number, axis: readonly number[], length: number): number {
  const n = axis.length;
  const i = n > 1 ? ((v - axis[0]) / (axis[n - 1] - axis[0])) * (n - 1) : 0;
  return ((i + 0.5) / n) * length;
}

/** The sample nearest to pixel `p` of a box `length` long. */
export function sampleAt(p: number, axis: readonly number[], length: number): number {
  const n = axis.length;
  return Math.min(n - 1, Math.max(0, Math.floor((p / length) * n)));
}

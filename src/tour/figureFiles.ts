// The tour's precomputed figures as files (src/tour/figures/*.json, written by `npm run plateau`): their form,
// checked when read; the rounding they are written with; and the comparison by which `npm run tour:verify` finds a
// committed one stale. The page reads them and never trains for them.
import * as v from 'valibot';
import { parseExperimentConfig, type ExperimentConfig } from '../config/experimentConfig';
import { LANDSCAPE_FIELDS, type LandscapeSettings } from '../landscape/landscapeSettings';
import type { LandscapeResult, LandscapeRun } from '../landscape/raceLandscape';
import { parseFields } from '../schema/schema';
import { FLAT_LOSS } from '../losses/lesson';
import type { LossSpec } from '../losses/lossDefinition';
import type { LogLogFit } from './logLogFit';

/** Where `npm run plateau` writes them, from the repository's root. */
export const FIGURE_PATHS = { plateau: 'src/tour/figures/plateau.json', landscape: 'src/tour/figures/landscape.json' } as const;

export interface PlateauRun {
  loss: LossSpec;
  /** Per prior (in `priors`' order): the first step at which the validation IoU is above the threshold, or null. */
  steps: (number | null)[];
  /** log₁₀ steps against log₁₀ p over the priors up to `fitUpTo`; null with fewer than two points there. */
  fit: LogLogFit | null;
}

/** The plateau's length against the output prior (see plateau.ts). */
export interface PlateauFigure {
  /** The race at every prior but its `model.outputPrior` (the chapter's own); `steps` is `maxSteps`. */
  config: ExperimentConfig;
  priors: number[];
  threshold: number;
  maxSteps: number;
  fitUpTo: number;
  coarse: number;
  runs: PlateauRun[];
}

/** The run of the loss whose plateau the figure is about (1 − IoU), if its race has it. */
export const flatRun = (figure: PlateauFigure): PlateauRun | undefined => figure.runs.find((r) => r.loss.id === FLAT_LOSS);

/** A chapter's landscape figure: the landscape its claims are measured on, and the settings it was computed with. */
export interface LandscapeFigure extends LandscapeResult {
  settings: LandscapeSettings;
}

/** Measured values are written to this many significant digits: enough for any figure, and short diffs. */
const DIGITS = 4;
/** How far a recomputed value may be from the committed one (relative) before the file counts as stale. */
export const STALE_TOLERANCE = 1e-3;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** A series as JSON holds it: a value that is not finite (a loss of +∞ off the slice's edge) is written as null. */
const series = v.array(v.nullable(v.number()));
const loss = v.looseObject({ id: v.string() });

const PLATEAU = v.object({
  config: v.unknown(),
  priors: v.pipe(v.array(v.pipe(v.number(), v.gtValue(0), v.ltValue(1))), v.minLength(2)),
  threshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  maxSteps: count,
  fitUpTo: v.number(),
  coarse: v.pipe(count, v.minValue(1)),
  runs: v.array(
    v.object({
      loss,
      steps: v.array(v.nullable(count)),
      fit: v.nullable(v.object({ slope: v.number(), intercept: v.number(), points: count })),
    }),
  ),
});

const SERIES = { loss: series, iou: series, bce: series };
const LANDSCAPE = v.object({
  settings: v.unknown(),
  config: v.unknown(),
  step: count,
  runs: v.array(
    v.object({
      index: count,
      loss,
      path: v.object({ alpha: v.array(v.number()), ...SERIES }),
      slice: v.object({ x: v.array(v.number()), y: v.array(v.number()), directions: v.picklist(['random', 'pca']), ...SERIES }),
      trajectory: v.optional(
        v.object({ pc1: v.array(v.number()), pc2: v.array(v.number()), explained: v.tuple([v.number(), v.number()]) }),
      ),
    }),
  ),
});
const LANDSCAPES = v.record(v.string(), LANDSCAPE);

function parse<S extends v.GenericSchema>(schema: S, json: unknown, file: string): v.InferOutput<S> {
  const parsed = v.safeParse(schema, json);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  throw new Error(`${file}: ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
}

const finite = (xs: readonly (number | null)[]): number[] => xs.map((x) => x ?? NaN);

/** Checks a plateau figure file; its runs' losses are its config's, resolved. */
export function readPlateauFigure(json: unknown): PlateauFigure {
  const file = FIGURE_PATHS.plateau;
  const raw = parse(PLATEAU, json, file);
  const config = parseExperimentConfig(raw.config);
  if (raw.runs.length !== config.losses.length) throw new Error(`${file}: ${raw.runs.length} runs for ${config.losses.length} losses`);
  raw.runs.forEach((run, i) => {
    if (run.steps.length !== raw.priors.length)
      throw new Error(`${file}: runs[${i}].steps has ${run.steps.length} values for ${raw.priors.length} priors`);
  });
  return { ...raw, config, runs: raw.runs.map((run, i) => ({ ...run, loss: config.losses[i] })) };
}

/** Checks a file of landscape figures (one per chapter, by slug); values written as null come back as NaN. */
export function readLandscapeFigures(json: unknown): Record<string, LandscapeFigure> {
  const file = FIGURE_PATHS.landscape;
  const raw = parse(LANDSCAPES, json, file);
  return Object.fromEntries(
    Object.entries(raw).map(([slug, figure]) => {
      const where = `${file}: ${slug}`;
      const config = parseExperimentConfig(figure.config);
      const settings = parseFields(LANDSCAPE_FIELDS, figure.settings, `${slug}.settings`);
      const runs = figure.runs.map((run, k): LandscapeRun => {
        const { path, slice } = run;
        if (run.index >= config.losses.length) throw new Error(`${where}: runs[${k}].index ${run.index} is not a run of its race`);
        for (const key of ['loss', 'iou', 'bce'] as const) {
          if (path[key].length !== path.alpha.length) throw new Error(`${where}: runs[${k}].path.${key} does not match its alpha`);
          if (slice[key].length !== slice.x.length * slice.y.length)
            throw new Error(`${where}: runs[${k}].slice.${key} is not ${slice.x.length} × ${slice.y.length}`);
        }
        return {
          ...run,
          loss: config.losses[run.index],
          path: { alpha: path.alpha, loss: finite(path.loss), iou: finite(path.iou), bce: finite(path.bce) },
          slice: { ...slice, loss: finite(slice.loss), iou: finite(slice.iou), bce: finite(slice.bce) },
        };
      });
      return [slug, { settings, config, step: figure.step, runs }];
    }),
  );
}

/** A chapter's landscape figure: its race's landscape with the settings (the view's defaults under the figure's). */
export const landscapeFigure = (
  settings: Partial<LandscapeSettings> | undefined,
  slug: string,
  result: LandscapeResult,
): LandscapeFigure => ({
  settings: parseFields(LANDSCAPE_FIELDS, settings, `${slug}.landscape`),
  ...result,
});

const round = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(DIGITS)) : null);
const rounded = (xs: readonly number[]) => xs.map(round);

/** A plateau figure as its file holds it (the fits rounded). */
export const plateauFile = (figure: PlateauFigure): unknown => ({
  ...figure,
  runs: figure.runs.map((run) => ({
    ...run,
    fit: run.fit && { ...run.fit, slope: round(run.fit.slope), intercept: round(run.fit.intercept) },
  })),
});

/** A landscape figure as its file holds it (every value rounded; one that is not finite as null). */
export const landscapeFile = (figure: LandscapeFigure): unknown => ({
  ...figure,
  runs: figure.runs.map((run) => ({
    ...run,
    path: { alpha: rounded(run.path.alpha), loss: rounded(run.path.loss), iou: rounded(run.path.iou), bce: rounded(run.path.bce) },
    slice: {
      ...run.slice,
      x: rounded(run.slice.x),
      y: rounded(run.slice.y),
      loss: rounded(run.slice.loss),
      iou: rounded(run.slice.iou),
      bce: rounded(run.slice.bce),
    },
    ...(run.trajectory
      ? { trajectory: { pc1: rounded(run.trajectory.pc1), pc2: rounded(run.trajectory.pc2), explained: rounded(run.trajectory.explained) } }
      : {}),
  })),
});

/**
 * The first place where a committed file and a recomputed one differ (numbers by more than `tolerance`, relative),
 * in words ("runs[0].steps[3]: committed 271, now 273"), or null when the committed one is current. Both are
 * compared as JSON holds them.
 */
export function staleness(committed: unknown, fresh: unknown, tolerance = STALE_TOLERANCE, at = ''): string | null {
  const a = JSON.parse(JSON.stringify(committed ?? null)) as unknown;
  const b = JSON.parse(JSON.stringify(fresh ?? null)) as unknown;
  return differ(a, b, tolerance, at);
}

function differ(a: unknown, b: unknown, tolerance: number, at: string): string | null {
  const said = (x: unknown) => (x === undefined ? 'nothing' : JSON.stringify(x).slice(0, 60));
  const here = at || '(root)';
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) ? null : `${here}: committed ${a}, now ${b}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${here}: committed ${a.length} values, now ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = differ(a[i], b[i], tolerance, `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = differ((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance, at ? `${at}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${here}: committed ${said(a)}, now ${said(b)}`;
}

import { parseExperimentConfig, SECTIONS, type ExperimentConfig } from '../src/config/experimentConfig';
import { defaultsOf, type Field, type Infer } from '../src/schema/schema';
import type { LossSpec } from '../src/losses/lossDefinition';
import { defaultRace } from '../src/losses/lesson';
import { resolveLoss } from '../src/losses/registry';
import { CHAPTERS, OPENING_SCENARIO } from '../src/tour/chapters';
import { LANDSCAPE_FIELDS, type LandscapeSettings } from '../src/landscape/landscapeSettings';

/**
 * Everything the explorer lets a user set, in one typed schema: the experiment (the same config the CLI runs)
 * and the view settings. The URL, the controls and "Download config" all go through it.
 */
export const VIEWS = ['race', 'tour', 'surface', 'landscape', 'reference'] as const;
export type View = (typeof VIEWS)[number];

export const UI_FIELDS = [
  {
    key: 'stepsPerSecond',
    url: 'sps',
    label: 'max steps per second',
    kind: 'nullableNumber',
    min: 1,
    max: 10_000,
    default: 240,
    offText: 'as fast as it goes',
    help: 'The race waits when it runs ahead of this; empty (off) trains as fast as the engine goes.',
  },
  {
    key: 'lossScale',
    label: 'loss scale',
    kind: 'enum',
    options: ['raw', 'normalised'],
    default: 'normalised',
    help: 'Raw values, or each run divided by its first value (the losses have different scales).',
  },
  {
    key: 'grad',
    label: 'gradient',
    kind: 'enum',
    options: ['global', 'layers', 'logit'],
    default: 'global',
    help: 'Global norm ‖∂L/∂θ‖, per-layer norms, or mean |∂L/∂logit| on object vs background pixels.',
  },
  {
    key: 'iou',
    label: 'IoU',
    kind: 'enum',
    options: ['iou', 'miou', 'miouNoBg'],
    default: 'iou',
    help: 'Foreground IoU, mean IoU with background, or without.',
  },
  {
    key: 'landscapeLog',
    url: 'llog',
    label: 'log colour scale',
    kind: 'boolean',
    default: false,
    help: 'The loss and BCE maps coloured by the logarithm of their values (the IoU map stays linear on [0, 1]).',
  },
] as const satisfies readonly Field[];

export type UiSettings = Infer<typeof UI_FIELDS>;
export type LossScale = UiSettings['lossScale'];
export type GradMetric = UiSettings['grad'];
export type IouMetric = UiSettings['iou'];

/** URL names are prefixed with "s" (sfg, spfg, …) so they never clash with the race's settings. */
export const SURFACE_FIELDS = [
  { key: 'pixels', url: 'sn', label: 'pixels N', kind: 'int', min: 10, max: 10_000, default: 100, help: 'Pixels in the toy image.' },
  {
    key: 'foreground',
    url: 'sfg',
    label: 'foreground fraction',
    kind: 'number',
    min: 0.01,
    max: 0.5,
    default: 0.1,
    help: 'Share of foreground pixels.',
  },
  {
    key: 'pFg',
    url: 'spfg',
    label: 'p on foreground',
    kind: 'number',
    min: 0.0001,
    max: 0.9999,
    default: 0.5,
    scale: 'log',
    help: 'Predicted probability on every foreground pixel.',
  },
  {
    key: 'pBg',
    url: 'spbg',
    label: 'p on background',
    kind: 'number',
    min: 0.0001,
    max: 0.9999,
    default: 0.05,
    scale: 'log',
    help: 'Predicted probability on every background pixel.',
  },
  {
    key: 'smooth',
    url: 'ssmooth',
    label: 'smoothing',
    kind: 'number',
    min: 0,
    max: 100,
    default: 0,
    help: 'Added to numerator and denominator of the region losses.',
  },
  { key: 'logLog', url: 'sloglog', label: 'log–log curves', kind: 'boolean', default: true, help: 'Loss and gradient on a log y axis.' },
] as const satisfies readonly Field[];

/**
 * Figure mode, for embedding the explorer in another page: no page chrome, one figure, and a lifecycle that keeps
 * out of the host page's way (see app/embed/).
 */
export const EMBED_FIGURES = ['race', 'race-full', 'curves', 'surfaces', 'tour'] as const;
export const EMBED_FIELDS = [
  { key: 'embed', label: 'figure mode', kind: 'boolean', default: false, help: 'Only the figure, for an iframe in another page.' },
  {
    key: 'fig',
    label: 'figure',
    kind: 'enum',
    options: EMBED_FIGURES,
    default: 'race',
    help: 'race: the three charts; race-full: with the predictions; curves or surfaces: the analytic view’s; tour: the chapter ch.',
  },
  {
    key: 'theme',
    label: 'theme',
    kind: 'enum',
    options: ['auto', 'light', 'dark'],
    default: 'auto',
    help: 'auto follows the reader’s system.',
  },
  {
    key: 'autoplay',
    label: 'autoplay',
    kind: 'boolean',
    default: false,
    help: 'Train as soon as the figure is on screen (never when the reader asks for reduced motion).',
  },
  {
    key: 'release',
    label: 'release after (s)',
    kind: 'int',
    min: 1,
    max: 3600,
    default: 60,
    help: 'Seconds away from the viewport (or in a hidden tab) after which the figure lets its worker and GPU device go; it builds them again, where it stopped, when it returns.',
  },
] as const satisfies readonly Field[];
export type EmbedSettings = Infer<typeof EMBED_FIELDS>;

/** The analytic view's toy prediction and the losses it compares. */
export type SurfaceSettings = Infer<typeof SURFACE_FIELDS> & { losses: LossSpec[] };

export interface AppState {
  view: View;
  /** The tour's chapter (a slug), written as `ch` while the tour is shown. */
  chapter: string;
  experiment: ExperimentConfig;
  ui: UiSettings;
  surface: SurfaceSettings;
  /** The weight-space landscape's settings (lstep, lgrid, ldirs, …). */
  landscape: LandscapeSettings;
  embed: EmbedSettings;
}

export function defaultSurfaceLosses(): LossSpec[] {
  return defaultRace('binary').map((l) => resolveLoss(l));
}

/**
 * The race a page without settings opens on: the tour's collapsed start, where 1 − IoU visibly stalls. Links of
 * version 3 are read on top of it; older links on top of the schema's defaults, as they were written.
 */
export const openingExperiment = (): ExperimentConfig => parseExperimentConfig(OPENING_SCENARIO.config);

export function defaultState(): AppState {
  return {
    view: 'race',
    chapter: CHAPTERS[0].slug,
    experiment: openingExperiment(),
    ui: defaultsOf(UI_FIELDS),
    surface: { ...defaultsOf(SURFACE_FIELDS), losses: defaultSurfaceLosses() },
    landscape: defaultsOf(LANDSCAPE_FIELDS),
    embed: defaultsOf(EMBED_FIELDS),
  };
}

/** Every setting the URL carries, with its section: the experiment's and the two views'. */
export const URL_SECTIONS = {
  ...SECTIONS,
  ui: UI_FIELDS,
  surface: SURFACE_FIELDS,
  landscape: LANDSCAPE_FIELDS,
  embed: EMBED_FIELDS,
} as const;
export type UrlSection = keyof typeof URL_SECTIONS;

/** A field's name in the URL. */
export const urlName = (f: Field): string => f.url ?? f.key;

import { DATA_FIELDS, MODEL_FIELDS, OPTIMIZER_FIELDS, TOP_FIELDS, parseExperimentConfig, type ExperimentConfig } from '../src/config/experimentConfig';
import type { ParamDef } from '../src/losses/params';
import { resolveLoss } from '../src/losses/registry';
import type { LossSpec } from '../src/losses/types';

/**
 * Everything the explorer lets a user set, in one typed schema: the experiment (the same config the CLI runs)
 * and the view settings. The URL, the controls and "Download config" all go through it.
 */
export type View = 'race' | 'surface' | 'reference';
export type LossScale = 'raw' | 'normalised';
export type GradMetric = 'global' | 'layers' | 'logit';
export type IouMetric = 'iou' | 'miou' | 'miouNoBg';

export interface UiSettings {
  /** Training steps per animation frame at most. */
  speed: number;
  lossScale: LossScale;
  grad: GradMetric;
  iou: IouMetric;
}

/** The analytic view's toy prediction and the losses it compares. */
export interface SurfaceSettings {
  pixels: number;
  foreground: number;
  pFg: number;
  pBg: number;
  smooth: number;
  logLog: boolean;
  losses: LossSpec[];
}

export interface AppState {
  view: View;
  experiment: ExperimentConfig;
  ui: UiSettings;
  surface: SurfaceSettings;
}

export const UI_FIELDS: readonly ParamDef[] = [
  { key: 'speed', label: 'speed (steps per frame)', kind: 'int', min: 1, max: 20, default: 4, help: 'Most training steps per drawn frame.' },
  { key: 'lossScale', label: 'loss scale', kind: 'enum', options: ['raw', 'normalised'], default: 'normalised',
    help: 'Raw values, or each run divided by its first value (the losses have different scales).' },
  { key: 'grad', label: 'gradient', kind: 'enum', options: ['global', 'layers', 'logit'], default: 'global',
    help: 'Global norm ‖∂L/∂θ‖, per-layer norms, or mean |∂L/∂logit| on object vs background pixels.' },
  { key: 'iou', label: 'IoU', kind: 'enum', options: ['iou', 'miou', 'miouNoBg'], default: 'iou',
    help: 'Foreground IoU, mean IoU with background, or without.' },
];

/** URL names are prefixed with "s" (sfg, spfg, …) so they never clash with the race's settings. */
export const SURFACE_FIELDS: readonly ParamDef[] = [
  { key: 'pixels', label: 'pixels N', kind: 'int', min: 10, max: 10_000, default: 100, help: 'Pixels in the toy image.' },
  { key: 'foreground', label: 'foreground fraction', kind: 'number', min: 0.01, max: 0.5, default: 0.1, help: 'Share of foreground pixels.' },
  { key: 'pFg', label: 'p on foreground', kind: 'number', min: 0.0001, max: 0.9999, default: 0.5, scale: 'log', help: 'Predicted probability on every foreground pixel.' },
  { key: 'pBg', label: 'p on background', kind: 'number', min: 0.0001, max: 0.9999, default: 0.05, scale: 'log', help: 'Predicted probability on every background pixel.' },
  { key: 'smooth', label: 'smoothing', kind: 'number', min: 0, max: 100, default: 0, help: 'Added to numerator and denominator of the region losses.' },
  { key: 'logLog', label: 'log–log curves', kind: 'boolean', default: true, help: 'Gradient curve on log axes.' },
];

export const SURFACE_PARAM: Record<string, string> = { pixels: 'sn', foreground: 'sfg', pFg: 'spfg', pBg: 'spbg', smooth: 'ssmooth', logLog: 'sloglog' };

export function defaultSurfaceLosses(): LossSpec[] {
  return [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'bce' }].map((l) => resolveLoss(l));
}

const defaults = (fields: readonly ParamDef[]) => Object.fromEntries(fields.map((f) => [f.key, f.default]));

export function defaultUi(): UiSettings {
  return defaults(UI_FIELDS) as unknown as UiSettings;
}

export function defaultSurface(): SurfaceSettings {
  return { ...(defaults(SURFACE_FIELDS) as unknown as Omit<SurfaceSettings, 'losses'>), losses: defaultSurfaceLosses() };
}

export function defaultState(): AppState {
  return { view: 'race', experiment: parseExperimentConfig({}), ui: defaultUi(), surface: defaultSurface() };
}

/** Where each experiment setting lives in the URL: a short name, the field and its section. */
export interface UrlField {
  param: string;
  section: 'top' | 'data' | 'model' | 'optimizer';
  def: ParamDef;
}

const byKey = (fields: readonly ParamDef[], key: string) => fields.find((f) => f.key === key)!;

export const URL_FIELDS: readonly UrlField[] = [
  { param: 'seed', section: 'top', def: byKey(TOP_FIELDS, 'seed') },
  { param: 'steps', section: 'top', def: byKey(TOP_FIELDS, 'steps') },
  { param: 'batch', section: 'top', def: byKey(TOP_FIELDS, 'batchSize') },
  { param: 'eval', section: 'top', def: byKey(TOP_FIELDS, 'evalEvery') },
  ...DATA_FIELDS.map((def) => ({ param: def.key === 'foreground' ? 'fg' : def.key, section: 'data' as const, def })),
  ...MODEL_FIELDS.map((def) => ({ param: def.key === 'outputPrior' ? 'prior' : def.key, section: 'model' as const, def })),
  ...OPTIMIZER_FIELDS.map((def) => ({
    param: ({ name: 'opt', momentum: 'mom', clipNorm: 'clip' } as Record<string, string>)[def.key] ?? def.key,
    section: 'optimizer' as const,
    def,
  })),
];

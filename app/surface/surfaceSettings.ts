import { defaultsOf, type Field, type Infer } from '../../src/schema/schema';
import type { LossSpec } from '../../src/losses/lossDefinition';
import { defaultRace } from '../../src/losses/lesson';
import { resolveLoss } from '../../src/losses/registry';

/** The analytic view's toy prediction. URL names are prefixed with "s" (sfg, spfg, …) so they never clash with the race's settings. */
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

/** The analytic view's toy prediction and the losses it compares. */
export type SurfaceSettings = Infer<typeof SURFACE_FIELDS> & { losses: LossSpec[] };

export function defaultSurfaceLosses(): LossSpec[] {
  return defaultRace('binary').map((l) => resolveLoss(l));
}

export const defaultSurface = (): SurfaceSettings => ({ ...defaultsOf(SURFACE_FIELDS), losses: defaultSurfaceLosses() });

import type { Field, Infer } from '../src/schema/schema';

/** The charts' selectors and the speed cap: shared by every view that shows a race, so they belong to no one view. */
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

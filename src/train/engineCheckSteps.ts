import type { Field } from '../schema/schema';

/** How many steps the engine check compares: a slow GPU (or a software one) can take fewer. No tfjs here: the page reads it. */
export const ENGINE_CHECK_STEPS = {
  key: 'steps',
  label: 'steps to compare',
  kind: 'int',
  min: 1,
  max: 200,
  default: 20,
  help: 'Training steps run on both backends; every step of every loss is compared.',
} as const satisfies Field;

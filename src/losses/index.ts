export type * from './types';
export { LossInputError, validateLossInputs } from './segInputs';
export { LossConfigError, type ParamDef } from './params';
export { LOSSES, lossInfo, resolveLoss, type LossInfo, type Task } from './registry';
export { buildLoss, lossFromInput } from './buildLoss';
export { PRESETS, findPreset, type LossPreset } from './presets';

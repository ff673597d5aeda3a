export type * from './types';
export { LossInputError, validateLossInputs } from './segInputs';
export { LossConfigError, type ParamDef } from './params';
export { LOSSES, lossInfo, resolveLoss, buildLoss, lossFromInput, type LossInfo, type Task } from './registry';
export { PRESETS, findPreset, type LossPreset } from './presets';

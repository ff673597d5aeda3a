export type { LossDefinition, LossFn, LossInput, LossSpec, PixelMaps, Task } from './lossDefinition';
export { LossConfigError, LossInputError } from './errors';
export { validateLossInputs } from './segInputs';
export { LOSSES, definitionOf, lossInfo, lossName, lossesWithin, resolveLoss, wrongTaskWithin } from './registry';
export { buildLoss, lossFromInput } from './buildLoss';
export { PRESETS, findPreset, type LossPreset } from './presets';

export { confusionMatrices, readConfusion } from './confusion';
export { totalConfusion, type Confusion } from './confusionCounts';
export {
  hardScore,
  foregroundIoU,
  nanMean,
  perClassScores,
  type Average,
  type EmptyScore,
  type HardScoreOptions,
  type Overlap,
} from './hardScores';
export { torchmetricsBinaryJaccard, torchmetricsMulticlassJaccard, torchmetricsMeanIoU, bermanIoU } from './libraryScores';

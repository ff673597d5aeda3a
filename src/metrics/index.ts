export { confusionMatrices, readConfusion, totalConfusion, type Confusion } from './confusion';
export { hardScore, foregroundIoU, nanMean, perClassScores, type Average, type EmptyScore, type HardScoreOptions, type Overlap } from './hardScores';
export { torchmetricsBinaryJaccard, torchmetricsMulticlassJaccard, torchmetricsMeanIoU, bermanIoU } from './libraryScores';

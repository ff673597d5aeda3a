// The tfjs side of the loss zoo, handed to every loss's `build`: loss files import only its type, so the page
// can read the registry without loading tfjs.
import { customGrad, tf } from '../tf';
import { classMask, groupMean, groupWeights } from './groupMean';
import { logSigmoid } from './logSigmoid';
import { fusedRegionLoss, regionKernelsHere } from './regionKernels';
import { checkShapes, probabilities, segView } from './segInputs';

export const lossKit = {
  tf,
  customGrad,
  checkShapes,
  fusedRegionLoss,
  regionKernelsHere,
  segView,
  probabilities,
  logSigmoid,
  groupWeights,
  groupMean,
  classMask,
};

export type LossKit = typeof lossKit;

// The tfjs side of the loss zoo, handed to every loss's `build`: loss files import only its type, so the page
// can read the registry without loading tfjs.
import { customGrad, tf } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import { classMask, groupMean, groupWeights } from './groupMean';
import { logSigmoid } from './logSigmoid';
import { fusedPixelLoss } from './pixelKernels';
import { fusedRegionLoss } from './regionKernels';
import { checkShapes, probabilities, segView } from './segInputs';

/** Whether the losses' WebGPU kernels (pixelKernels.ts, regionKernels.ts) run on the active backend. */
const ownKernelsHere = () => backendCapabilities().ownKernels;

export const lossKit = {
  tf,
  customGrad,
  checkShapes,
  fusedPixelLoss,
  fusedRegionLoss,
  ownKernelsHere,
  segView,
  probabilities,
  logSigmoid,
  groupWeights,
  groupMean,
  classMask,
};

export type LossKit = typeof lossKit;

// What the active tfjs backend can do, in one table: the engine picks its paths (kernels of our own, stacked runs,
// the one-kernel optimiser, the convolution's weight gradient, the upsampling's gradient) by asking this object
// instead of comparing backend names where it branches. Engine code only, as it loads tfjs (the page judges
// settings by the backends' memory limits in train/memoryEstimate.ts).
import { tf } from '../tf';
import { tableOf } from './capabilityTable';

export interface BackendCapabilities {
  /** The backend's name as tfjs reports it (a name outside BackendName gets the portable paths). */
  name: string;
  /**
   * The WebGPU kernels of our own run here (batchedConvKernels.ts, regionKernels.ts, pixelKernels.ts,
   * stepStatsKernel.ts, the fused step): they are registered for webgpu only.
   */
  ownKernels: boolean;
  /** A race's runs train as one stacked net by default (K convolutions in one op), the faster way on this backend. */
  stackedRuns: boolean;
  /** The optimiser updates every variable of the stacked net with one kernel (fusedOptimizer.ts). */
  oneKernelOptimizer: boolean;
  /**
   * tfjs has a weight gradient of its own for a convolution (Conv2DBackpropFilter) here; where it does not (wasm),
   * conv2d.ts takes the forward-convolution form.
   */
  nativeFilterGradient: boolean;
  /**
   * tfjs's nearest-neighbour resize has a right gradient for a batch of images here; tfjs-backend-cpu 4.22's
   * offsets dy by the wrong stride (upsample.ts).
   */
  batchedResizeGradient: boolean;
}

/** What backend `name` can do (its own weight gradient is looked up in tfjs's kernel registry). */
export function capabilitiesOf(name: string): BackendCapabilities {
  return { ...tableOf(name), name, nativeFilterGradient: tf.getKernel('Conv2DBackpropFilter', name) !== undefined };
}

/** What the active backend can do. */
export const backendCapabilities = (): BackendCapabilities => capabilitiesOf(tf.getBackend());

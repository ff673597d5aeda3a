// What each backend can do that is known without loading it (capabilities.ts adds what tfjs's kernel registry says):
// a module with no tfjs in it, so that the page's memory estimate (train/memoryEstimate.ts) reads the same table.
import { isBackendName, type BackendName } from './types';

export interface CapabilityTable {
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
   * tfjs's nearest-neighbour resize has a right gradient for a batch of images here; tfjs-backend-cpu 4.22's
   * offsets dy by the wrong stride (upsample.ts).
   */
  batchedResizeGradient: boolean;
}

const PORTABLE: CapabilityTable = {
  ownKernels: false,
  stackedRuns: false,
  oneKernelOptimizer: false,
  batchedResizeGradient: true,
};

const TABLE: Record<BackendName, CapabilityTable> = {
  webgpu: { ...PORTABLE, ownKernels: true, stackedRuns: true, oneKernelOptimizer: true },
  webgl: PORTABLE,
  wasm: PORTABLE,
  cpu: { ...PORTABLE, batchedResizeGradient: false },
};

/** The table's row for backend `name` (a name outside BackendName gets the portable paths). */
export const tableOf = (name: string): CapabilityTable => (isBackendName(name) ? TABLE[name] : PORTABLE);

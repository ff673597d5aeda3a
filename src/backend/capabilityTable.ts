// What each backend can do that is known without loading it (capabilities.ts adds what tfjs's kernel registry says):
// a module with no tfjs in it, so that the page's memory estimate (train/memoryEstimate.ts) reads the same table.
import type { BackendCapabilities } from './capabilities';
import { isBackendName, type BackendName } from './types';

export type CapabilityTable = Omit<BackendCapabilities, 'name' | 'nativeFilterGradient'>;

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

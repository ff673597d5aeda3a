// What the active tfjs backend can do, in one table: the engine picks its paths (kernels of our own, stacked runs,
// the one-kernel optimiser, the convolution's weight gradient, the upsampling's gradient) by asking this object
// instead of comparing backend names where it branches. Engine code only, as it loads tfjs (the page judges
// settings by the backends' memory limits in train/memoryEstimate.ts).
import { tf } from '../tf';
import { tableOf, type CapabilityTable } from './capabilityTable';

/** What the active backend can do: its row of the static table, and what tfjs's kernel registry says. */
export interface BackendCapabilities extends CapabilityTable {
  /** The backend's name as tfjs reports it (a name outside BackendName gets the portable paths). */
  name: string;
  /**
   * tfjs has a weight gradient of its own for a convolution (Conv2DBackpropFilter) here; where it does not (wasm),
   * conv2d.ts takes the forward-convolution form.
   */
  nativeFilterGradient: boolean;
}

/** What backend `name` can do (its own weight gradient is looked up in tfjs's kernel registry). */
export function capabilitiesOf(name: string): BackendCapabilities {
  return { ...tableOf(name), name, nativeFilterGradient: tf.getKernel('Conv2DBackpropFilter', name) !== undefined };
}

/** What the active backend can do. */
export const backendCapabilities = (): BackendCapabilities => capabilitiesOf(tf.getBackend());

import { tf } from '../tf';
import { nodeLoaders } from '../backend/nodeLoaders';
import { installNodeWebGpu, nodeWebGpuLoaders } from '../backend/nodeWebGpu';
import { probeWebGpu } from '../backend/probeAdapter';

/** Makes `name` the active backend in a Node test ('webgpu' through Dawn: see webGpuMissing). */
export async function useBackend(name: 'cpu' | 'wasm' | 'webgpu'): Promise<void> {
  await (name === 'webgpu' ? nodeWebGpuLoaders : nodeLoaders)[name]?.();
  if (!(await tf.setBackend(name))) throw new Error(`could not set backend ${name}`);
  await tf.ready();
}

/**
 * Why Dawn's WebGPU cannot run in this Node process (no `webgpu` package, no adapter), or null when it can: a
 * test of the WebGPU kernels skips with the reason, which it prints.
 */
export async function webGpuMissing(what: string): Promise<string | null> {
  const missing = await installNodeWebGpu();
  const probe = missing ? null : await probeWebGpu();
  const reason = missing ?? (probe && !probe.ok ? probe.reason : null);
  if (reason) console.warn(`${what} not tested here: ${reason}`);
  return reason;
}

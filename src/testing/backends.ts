import { tf } from '../tf';
import { nodeLoaders } from '../backend/nodeLoaders';

/** Makes `name` the active backend in a Node test. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await nodeLoaders[name]?.();
  if (!(await tf.setBackend(name))) throw new Error(`could not set backend ${name}`);
  await tf.ready();
}

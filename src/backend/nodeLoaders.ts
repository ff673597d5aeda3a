import { tf } from '../tf';
import type { BackendLoaders } from './types';

/** Backends for Node (CLI, tests): the GPU ones need a browser. */
export const nodeLoaders: BackendLoaders = {
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

import { tf } from '../tf';
import type { BackendLoaders } from './types';

// PROD silences tfjs's console banner recommending tfjs-node, which this project deliberately does not use.
const quiet = () => tf.env().set('PROD', true);

/** Backends for Node (CLI, tests): the GPU ones need a browser. */
export const nodeLoaders: BackendLoaders = {
  wasm: async () => {
    quiet();
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  },
  cpu: async () => {
    quiet();
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

import { tf } from '../tf';
import type { BackendLoaders } from '../backend/types';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * The four backends as the browser bundle provides them. The .wasm binaries are served by the app itself
 * (no CDN). setWasmPaths wants all three, but the threaded build is switched off and never fetched: it breaks
 * under minification.
 */
export const browserLoaders: BackendLoaders = {
  webgpu: async () => {
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  webgl: async () => {
    await import('@tensorflow/tfjs-backend-webgl');
  },
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

import type { TensorInfo } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { nodeLoaders } from '../backend/nodeLoaders';
import { selectBackend } from './selectBackend';

// Vitest runs each test file in its own worker, so the broken kernel below stays in this file.
describe('numeric self-test', () => {
  it('demotes a backend that runs but computes wrong numbers, and says so', async () => {
    const brokenCpu = async () => {
      await nodeLoaders.cpu!();
      // A Sigmoid that returns zeros: the kind of device-specific wrong gradient of tfjs #8590.
      tf.registerKernel({
        kernelName: 'Sigmoid',
        backendName: 'cpu',
        kernelFunc: ({ inputs, backend }) => {
          const x = inputs.x as TensorInfo;
          const cpu = backend as unknown as { makeTensorInfo: (s: number[], d: string, v: Float32Array) => TensorInfo };
          return cpu.makeTensorInfo(x.shape, 'float32', new Float32Array(x.shape.reduce((a, b) => a * b, 1)));
        },
      });
    };
    const report = await selectBackend({ loaders: { ...nodeLoaders, cpu: brokenCpu }, order: ['cpu', 'wasm'] });
    expect(report.backend).toBe('wasm');
    expect(report.candidates[0]).toMatchObject({ name: 'cpu', status: 'demoted' });
    expect(report.candidates[0].reason).toMatch(
      /^numeric self-test failed: BCE gradient\[0\] = .*, expected .*\(device-specific wrong results, cf\. tfjs #8590\)$/,
    );
  });
});

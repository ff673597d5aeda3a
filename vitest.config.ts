import { defineConfig } from 'vitest/config';
import { swiftShaderEnv } from './src/backend/swiftShader.ts';

// With no Vulkan driver chosen, Dawn (the webgpu package, for the WebGPU kernels' tests) takes Chromium's
// SwiftShader, found where nodeWebGpu.ts finds it. Set here, before any test process starts, because the dynamic
// linker reads LD_LIBRARY_PATH only at a process's start; tests then run on SwiftShader wherever Chromium is, GPU or not.
Object.assign(process.env, swiftShaderEnv());

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs-core registers its gradients from ES modules that Node cannot load as they are published;
    // inlining lets Vite resolve them (and the backends) into one module graph.
    server: { deps: { inline: [/@tensorflow\/tfjs-(core|backend-cpu|backend-webgpu)/] } },
  },
});

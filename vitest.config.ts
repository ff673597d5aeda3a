import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// With no GPU driver, Dawn (the webgpu package, for the WebGPU kernels' tests) finds Vulkan in Chromium's
// SwiftShader. The loader reads these when a test process starts, so they are set here, before any starts.
const SWIFTSHADER = '/usr/lib/chromium';
if (!process.env.VK_ICD_FILENAMES && existsSync(`${SWIFTSHADER}/vk_swiftshader_icd.json`)) {
  process.env.LD_LIBRARY_PATH = [SWIFTSHADER, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  process.env.VK_ICD_FILENAMES = `${SWIFTSHADER}/vk_swiftshader_icd.json`;
}

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

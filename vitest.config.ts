import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs-core registers its gradients from ES modules that Node cannot load as they are published;
    // inlining lets Vite resolve them (and the backends) into one module graph.
    server: { deps: { inline: [/@tensorflow\/tfjs-(core|backend-cpu)/] } },
  },
});

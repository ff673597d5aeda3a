import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium by default; CHROMIUM_PATH overrides it, and with neither Playwright's own browser is used.
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// Without the background-networking flags Chromium keeps dialling out, which a closed network refuses.
const quiet = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  // Two workers, one file each at a time: much of a test is waiting on a page, and the suite must finish in CI's time.
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // --enable-unsafe-webgpu gives headless Chromium a WebGPU adapter (SwiftShader on a machine without a GPU).
      name: 'chromium',
      testIgnore: /no-webgpu|longTasks/,
      use: { launchOptions: { executablePath, args: [...quiet, '--enable-unsafe-webgpu'] } },
    },
    {
      name: 'chromium-no-webgpu',
      testMatch: /no-webgpu/,
      use: { launchOptions: { executablePath, args: quiet } },
    },
    {
      // Timing guards, after everything else so that no other test's browser shares the cores.
      name: 'alone',
      testMatch: /longTasks/,
      dependencies: ['chromium', 'chromium-no-webgpu'],
      use: { launchOptions: { executablePath, args: [...quiet, '--enable-unsafe-webgpu'] } },
    },
  ],
  webServer: {
    // The production build: what users get, and no dependency re-optimisation in the middle of a test.
    command: `npx vite build --logLevel warn && npx vite preview --strictPort --port ${port}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});

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
const NO_WEBGPU = /no-webgpu\.spec/;
const SOFTWARE_GPU = /(engineCheck|parity|deviceLoss)\.spec/;
const ALONE = /longTasks\.spec/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  // Two workers, one file each at a time (see the projects below for what never runs beside what).
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
  // Three stages, so that no page test shares the cores with SwiftShader (a CPU Vulkan and GL that takes every core
  // it can): the page tests two at a time, then the software-GPU files (training and parity on WebGPU and WebGL),
  // then the main-thread timing guard alone.
  projects: [
    {
      // --enable-unsafe-webgpu gives headless Chromium a WebGPU adapter (SwiftShader on a machine without a GPU).
      name: 'chromium',
      testIgnore: [NO_WEBGPU, SOFTWARE_GPU, ALONE],
      use: { launchOptions: { executablePath, args: [...quiet, '--enable-unsafe-webgpu'] } },
    },
    {
      name: 'chromium-no-webgpu',
      testMatch: NO_WEBGPU,
      use: { launchOptions: { executablePath, args: quiet } },
    },
    {
      name: 'software-gpu',
      testMatch: SOFTWARE_GPU,
      dependencies: ['chromium', 'chromium-no-webgpu'],
      use: { launchOptions: { executablePath, args: [...quiet, '--enable-unsafe-webgpu'] } },
    },
    {
      name: 'alone',
      testMatch: ALONE,
      dependencies: ['software-gpu'],
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

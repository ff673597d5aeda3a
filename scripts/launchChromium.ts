import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

/**
 * Headless Chromium as the scripts use it: Debian's (or CHROMIUM_PATH), with WebGPU (SwiftShader where there is
 * no GPU) and none of the background traffic a closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

import { expect, test } from '@playwright/test';

// A WebGPU device can be lost at any time (driver reset, GPU removed, tab in the background on some systems).
// Here the engine's own device is destroyed on SwiftShader, as a driver reset would end it.
test('a lost WebGPU device: the page says so and the race restarts on the next backend with the same settings', async ({ page }) => {
  const workers: import('@playwright/test').Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto('/?backend=webgpu&train=32&val=8&lr=0.05&l=bce&l=logJaccard');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  // The next command buffer tfjs records destroys the device first.
  await workers.at(-1)!.evaluate(() => {
    const proto = GPUDevice.prototype as GPUDevice & { createCommandEncoder: GPUDevice['createCommandEncoder'] };
    const original = proto.createCommandEncoder;
    proto.createCommandEncoder = function (this: GPUDevice, ...args: Parameters<GPUDevice['createCommandEncoder']>) {
      this.destroy();
      return original.apply(this, args);
    };
  });
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The GPU device under' })).toContainText(
    /The GPU device under webgpu was lost \(destroyed.*\)\. The engine was restarted on another backend with your settings/,
  );
  await expect(page.getByTestId('backend-badge')).toContainText('wasm', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByLabel('learning rate', { exact: true })).toHaveValue('0.05');
  await expect(page.locator('.loss-item')).toHaveCount(2);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('step 1');
  // Only the notice about the device remains: nothing from the engine that was lost.
  await expect(page.getByRole('alert')).toHaveCount(1);
});

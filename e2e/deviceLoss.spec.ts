import { expect, test } from '@playwright/test';
import { watchErrors } from './pageWatch';

// Training on WebGPU (SwiftShader here, so only a few steps), then the loss of the device. A WebGPU device can be lost
// at any time (driver reset, GPU removed, tab in the background on some systems); here the engine's own device is
// destroyed, as a driver reset would end it. One test, so SwiftShader compiles the race's shaders once.
test('the race trains on webgpu; when the device is lost the page says so and restarts on the next backend with the same settings', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const workers: import('@playwright/test').Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto('/?backend=webgpu&train=32&val=8&lr=0.05&l=bce&l=logJaccard');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect
    .poll(async () => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, '')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  expect(Number(await page.getByTestId('chart-Loss').getAttribute('data-points'))).toBeGreaterThanOrEqual(6);
  expect(errors).toEqual([]);

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

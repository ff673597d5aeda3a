import { expect, test } from '@playwright/test';
import { watchErrors } from './pageWatch';

// A smoke test of training on WebGPU (SwiftShader here, so only a few steps).
test('the race trains on webgpu', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=webgpu&train=32&val=8');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect
    .poll(async () => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, '')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(Number(await page.getByTestId('chart-Loss').getAttribute('data-points'))).toBeGreaterThanOrEqual(9);
  expect(errors).toEqual([]);
});

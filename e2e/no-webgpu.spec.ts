import { expect, test } from '@playwright/test';
import { openDetails, watchErrors } from './pageWatch';

// Runs in the project launched without --enable-unsafe-webgpu: here Chromium has no WebGPU adapter.
test('a requested but absent WebGPU gives a visible message and the automatic choice', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=webgpu');
  await expect(page.getByRole('alert').filter({ hasText: 'webgpu' })).toContainText(
    /The requested backend 'webgpu' is not usable here \(.*no adapter.*\); using the automatic choice instead\./,
  );
  await expect(page.getByTestId('backend-badge')).toContainText('wasm');
  const details = await openDetails(page);
  await expect(details.getByTestId('candidate-webgpu')).toContainText('no adapter');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  expect(errors).toEqual([]);
});

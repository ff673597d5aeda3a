import { expect, test } from '@playwright/test';
import { openDetails, watchErrors } from './pageWatch';

test.describe('backend selection in Chromium', () => {
  test('the automatic choice skips software adapters, says why, and the page has no errors', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/');
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toContainText('wasm');
    const details = await openDetails(page);
    await expect(details.getByTestId('candidate-webgpu')).toContainText(/software adapter \(google · swiftshader, isFallbackAdapter\)/i);
    await expect(details.getByTestId('candidate-webgpu')).toContainText('add ?backend=webgpu to use it anyway');
    await expect(details.getByTestId('candidate-webgl')).toContainText(/software adapter .*SwiftShader/);
    await expect(details.getByTestId('candidate-wasm')).toContainText('in use');
    await expect(details).toContainText('Self-test: loss, gradient and convolution match float64 references');
    expect(errors).toEqual([]);
  });

  test('?backend=webgpu runs on WebGPU, software adapter or not', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/?backend=webgpu');
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toContainText('webgpu');
    await expect(badge).toContainText('swiftshader');
    expect(errors).toEqual([]);
  });

  test('?backend=webgl runs on WebGL', async ({ page }) => {
    await page.goto('/?backend=webgl');
    await expect(page.getByTestId('backend-badge')).toContainText('webgl');
  });

  test('an unknown ?backend= value is explained and the automatic choice applies', async ({ page }) => {
    await page.goto('/?backend=cuda');
    const notice = page.getByRole('alert').filter({ hasText: 'cuda' });
    await expect(notice).toContainText('is not one of webgpu, webgl, wasm, cpu; choosing automatically');
    await expect(page.getByTestId('backend-badge')).toContainText('wasm');
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect(notice).toHaveCount(0);
  });
});

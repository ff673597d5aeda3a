import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const vectors = JSON.parse(readFileSync(new URL('../src/reference/loss-vectors.json', import.meta.url), 'utf8'));
type Case = { losses: object; metrics: object };
const count = (cases: Case[]) => cases.reduce((n, c) => n + Object.keys(c.losses).length + Object.keys(c.metrics).length, 0);
const binaryKeys = count(vectors.binary_cases);
const allKeys = binaryKeys + count(vectors.multiclass_cases);

async function runCheck(page: Page, cases: 'binary' | 'multiclass' | 'all') {
  await page.getByLabel('Cases').selectOption(cases);
  await page.getByRole('button', { name: 'Run the check' }).click();
  return page.getByTestId('parity-line');
}

test.describe('reference parity inside Chromium', () => {
  test('webgpu matches the reference on the binary cases', async ({ page }) => {
    await page.goto('/?backend=webgpu');
    await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
    const line = await runCheck(page, 'binary');
    await expect(line).toHaveText(`${binaryKeys} passed, 0 failed`, { timeout: 150_000 });
    await expect(page.getByTestId('parity-result')).toContainText('on webgpu');
  });

  test('webgl matches the reference on the binary cases', async ({ page }) => {
    await page.goto('/?backend=webgl');
    await expect(page.getByTestId('backend-badge')).toContainText('webgl');
    const line = await runCheck(page, 'binary');
    await expect(line).toHaveText(`${binaryKeys} passed, 0 failed`, { timeout: 150_000 });
    await expect(page.getByTestId('parity-result')).toContainText('on webgl');
  });

  test('wasm, the automatic choice here, matches every key', async ({ page }, info) => {
    await page.goto('/');
    await expect(page.getByTestId('backend-badge')).toContainText('wasm');
    const line = await runCheck(page, 'all');
    await expect(line).toHaveText(`${allKeys} passed, 0 failed`);
    await page.screenshot({ path: info.outputPath('parity-1280x800.png') });
  });
});

import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ARCHITECTURE_IDS } from '../src/model/architectures';

const vectors = JSON.parse(readFileSync(new URL('../src/reference/loss-vectors.json', import.meta.url), 'utf8'));
type Case = { losses: object; metrics: object };
const allKeys = [...vectors.binary_cases, ...vectors.multiclass_cases].reduce(
  (n: number, c: Case) => n + Object.keys(c.losses).length + Object.keys(c.metrics).length,
  0,
);

// The landscape check evaluates a 5 × 5 slice of each architecture.
const SLICE_POINTS = 25 * ARCHITECTURE_IDS.length;

// webgpu and webgl are forced (their adapters are software ones here); wasm is the automatic choice.
for (const [backend, url] of [
  ['webgpu', '/?backend=webgpu'],
  ['webgl', '/?backend=webgl'],
  ['wasm', '/'],
] as const) {
  test(`${backend} matches every loss and metric key of the reference vectors`, async ({ page }, info) => {
    await page.goto(url.includes('?') ? `${url}&view=reference` : '/?view=reference');
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    await page.getByLabel('Cases').selectOption('all');
    await page.getByRole('button', { name: 'Run the check' }).click();
    await expect(page.getByTestId('parity-line')).toHaveText(`${allKeys} passed, 0 failed`, { timeout: 150_000 });
    await expect(page.getByTestId('parity-result')).toContainText(`on ${backend}`);
    if (backend === 'wasm') await page.screenshot({ path: info.outputPath('parity-1280x800.png') });
  });

  test(`${backend}: a landscape slice matches the float64 forward pass`, async ({ page }) => {
    await page.goto(url.includes('?') ? `${url}&view=reference` : '/?view=reference');
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    await page.getByRole('button', { name: 'Check the landscape' }).click();
    await expect(page.getByTestId('landscape-check-result')).toContainText(
      new RegExp(
        `^${backend}: largest relative BCE difference \\S+ over ${SLICE_POINTS} points \\(tolerance 1e-4\\); hard IoU differs at 0$`,
      ),
      { timeout: 150_000 },
    );
    await expect(page.getByTestId('landscape-check-result')).toHaveClass(/result-good/);
  });
}

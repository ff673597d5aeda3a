import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { watchErrors } from './pageWatch';

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

/** The opening race (the collapsed start, three losses) trained 50 steps from the landscape view. */
async function trainFifty(page: Page, query = '') {
  await page.goto(`/?view=landscape${query}`);
  const train = page.getByRole('button', { name: 'Train 50 steps' });
  await expect(train).toBeEnabled();
  await train.click();
  await expect(page.getByTestId('landscape-step')).toHaveText('The race is at step 50.');
}

test.describe('the weight-space landscape', () => {
  test('after 50 steps of the collapsed start: each run’s path and 11 × 11 slice, predictions at a clicked point, Cancel', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await trainFifty(page);
    const runs = page.getByTestId('landscape-run');
    await expect(runs).toHaveCount(3);
    for (const run of await runs.all()) {
      await expect(run.getByRole('img', { name: /along the path: loss/ })).toBeVisible();
      await expect(run.getByRole('button', { name: /over a (11|21|41) × \1 slice/ })).toHaveCount(3);
    }
    await expect(
      runs
        .first()
        .getByRole('button', { name: /the run’s loss of .* over a 11 × 11 slice/ })
        .or(
          runs
            .first()
            .getByRole('button', { name: /over a (21|41) × / })
            .first(),
        ),
    ).toBeVisible();

    // The refinement runs on; Cancel stops it and keeps the coarser slice drawn.
    await expect(page.getByTestId('landscape-progress')).toContainText(/Computing the (21|41) × (21|41) slice/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('landscape-progress')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: /^Cancelled; showing the (11|21) × (11|21) slice\.$/ })).toBeVisible();

    const map = runs.first().getByRole('button', { name: /validation hard IoU of/ });
    await map.click({ position: { x: 30, y: 40 } });
    const predictions = runs.first().getByTestId('point-predictions');
    await expect(predictions).toContainText(/Predictions at \(-?[\d.e-]+, -?[\d.e-]+\)/);
    await expect(predictions.getByRole('img', { name: 'prediction 1 at the picked point' })).toBeVisible();
    // The numbers download in the CLI's format.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'landscape JSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^landscape-step-50-(11x11|21x21)\.json$/);
    const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(file.step).toBe(50);
    expect(file.runs.map((r: { loss: { id: string } }) => r.loss.id)).toEqual(['softJaccard', 'logJaccard', 'bce']);
    expect(file.runs[0].path.alpha).toHaveLength(41);
    // The settings are in the address.
    await page.getByLabel('directions').selectOption('pca');
    await expect.poll(() => new URL(page.url()).searchParams.get('ldirs')).toBe('pca');
    await expect(
      runs
        .first()
        .getByRole('button', { name: /over a 11 × 11 slice/ })
        .first(),
    ).toBeVisible();
    await expect(runs.first()).toContainText(/PC1 \(\d+% of the trajectory\)/);
    await page.getByLabel('log colour scale').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('llog')).toBe('true');
    await runs.nth(1).screenshot({ path: test.info().outputPath('landscape-pca-log.png') });
    expect(errors).toEqual([]);
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    test(`at ${width}×${height}: nothing wider than the viewport, no axe violations`, async ({ page }, info) => {
      await page.setViewportSize({ width, height });
      await trainFifty(page, '&lgrid=21');
      await expect(page.getByTestId('landscape-run')).toHaveCount(3);
      await expect(page.getByRole('status').filter({ hasText: /^Weights of step 50, 21 × 21 slice\./ })).toBeVisible();
      await page
        .getByTestId('landscape-run')
        .first()
        .getByRole('button', { name: /the run’s loss of/ })
        .click({ position: { x: 84, y: 84 } });
      await expect(page.getByRole('img', { name: 'prediction 1 at the picked point' })).toBeVisible();
      const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflowing).toBeLessThanOrEqual(0);
      await page.screenshot({ path: info.outputPath(`landscape-${width}x${height}.png`) });
      await page.screenshot({ path: info.outputPath(`landscape-${width}x${height}-full.png`), fullPage: true });
      // The README's picture: the first two runs' panels.
      const [first, second] = await Promise.all([0, 1].map((i) => page.getByTestId('landscape-run').nth(i).boundingBox()));
      const top = first!.y + (await page.evaluate(() => window.scrollY));
      const clip = { x: 0, y: top - 8, width, height: second!.y - first!.y + second!.height + 16 };
      await page.screenshot({ path: info.outputPath(`landscape-runs-${width}.png`), fullPage: true, clip });
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: info.outputPath(`landscape-dark-${width}x${height}.png`) });
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});

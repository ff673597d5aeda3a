import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Heavy settings: the set-up says what it is doing and can be cancelled, a change made meanwhile is the race
// that trains, and the memory the settings need is shown before anything is built.

// About 2 560 images of 64 px and a 512-image validation set: several seconds of set-up on wasm.
const HEAVY = '/?v=1&size=64&train=2048&val=512&batch=32&width=16&l=softJaccard&l=logJaccard&l=bce';

const lossSummary = async (page: Page) => (await page.getByTestId('chart-Loss').getAttribute('aria-label')) ?? '';

test('a loss removed during set-up is not trained: Play races exactly the losses on screen', async ({ page }) => {
  await page.goto(HEAVY);
  const progress = page.getByTestId('setup-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await page.getByRole('button', { name: 'Remove 1 − IoU (soft Jaccard)' }).click();
  await expect(page.locator('.loss-item')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  await expect(progress).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''))).toBeGreaterThan(2);
  await page.getByRole('button', { name: 'Pause' }).click();
  const summary = await lossSummary(page);
  expect(summary).toMatch(/−log IoU/);
  expect(summary).toMatch(/Binary cross-entropy/);
  expect(summary).not.toMatch(/1 − IoU \(soft/);
});

test('set-up shows its phase and progress, can be cancelled, and starts again on request', async ({ page }) => {
  await page.goto(HEAVY);
  const progress = page.getByTestId('setup-progress');
  await expect(progress).toContainText(
    /Setting up the race: (Generating images \(\d+ of 2560 images\)|Building the nets|Evaluating the untrained nets|First step \(run \d of 3\))/,
  );
  await page.getByRole('button', { name: 'Cancel set-up' }).click();
  await expect(page.getByText('Set-up cancelled: these settings have no race yet.')).toBeVisible();
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await page.getByRole('button', { name: 'Set up again' }).click();
  await expect(progress).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 120_000 });
  await expect(page.locator('.notice-error')).toHaveCount(0);
});

test('the memory of the settings is shown, with a warning and what to lower above a gigabyte', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-size')).toContainText(/parameters · about \d+ MB in memory/);
  await expect(page.getByTestId('memory-note')).toHaveCount(0);
  await page.goto('/?v=1&size=64&train=2048&val=512&batch=64&width=32&depth=unet');
  await expect(page.getByTestId('memory-note')).toContainText(
    /need about 1\.\d GB of memory.*lower the batch size, the image size or the width/,
  );
});

for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  test(`set-up, memory warning and a field's error at ${width}×${height}: no overflow, no axe violations`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto('/?v=1&size=64&train=2048&val=512&batch=64&width=32&depth=unet');
    await expect(page.getByTestId('setup-progress')).toBeVisible();
    const field = page.getByLabel('learning rate', { exact: true });
    await field.fill('fast');
    await field.press('Enter');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: info.outputPath(`setup-${width}x${height}.png`), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

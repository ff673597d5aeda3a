import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

async function trainABit(page: Page) {
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''))).toBeGreaterThan(60);
  await page.getByRole('button', { name: 'Pause' }).click();
}

// Artefacts to look at before calling a UI change done, at a laptop size and a phone size, in both views,
// each checked for horizontal overflow and by axe.
for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  test(`race view at ${width}×${height}: nothing wider than the viewport, no axe violations`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto('/?prior=0.0003&clip=1&sps=off');
    await trainABit(page);
    await page.getByTestId('chart-Loss').hover();
    const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflowing).toBeLessThanOrEqual(0);
    await page.screenshot({ path: info.outputPath(`race-${width}x${height}.png`) });
    await page.screenshot({ path: info.outputPath(`race-${width}x${height}-full.png`), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  test(`zoo & checks view at ${width}×${height}: nothing wider than the viewport, no axe violations`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto('/?view=reference');
    await expect(page.getByTestId('backend-badge')).toContainText('wasm');
    await page.getByTestId('backend-badge').click();
    const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflowing).toBeLessThanOrEqual(0);
    await page.screenshot({ path: info.outputPath(`reference-${width}x${height}.png`) });
    expect(await axeViolations(page)).toEqual([]);
  });
}

test('dark mode keeps both views readable (axe colour contrast)', async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await trainABit(page);
  await page.screenshot({ path: info.outputPath('race-dark-1280x800.png') });
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Loss zoo & checks' }).click();
  await expect(page.getByRole('heading', { name: 'Reference parity' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

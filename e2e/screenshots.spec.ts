import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Artefacts to look at before calling a UI change done: the page at a laptop size and at a phone size,
// with the backend details open, checked for horizontal overflow and by axe.
for (const [width, height] of [[1280, 800], [390, 844]] as const) {
  test(`at ${width}×${height}: nothing wider than the viewport, no axe violations`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await expect(page.getByTestId('backend-badge')).toContainText('wasm');
    await page.getByTestId('backend-badge').click();
    const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflowing).toBeLessThanOrEqual(0);
    await page.screenshot({ path: info.outputPath(`page-${width}x${height}.png`) });
    await page.screenshot({ path: info.outputPath(`page-${width}x${height}-full.png`), fullPage: true });
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('dark mode keeps the page readable (axe colour contrast)', async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByTestId('backend-badge')).toContainText('wasm');
  await page.getByTestId('backend-badge').click();
  await page.screenshot({ path: info.outputPath('page-dark-1280x800.png') });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

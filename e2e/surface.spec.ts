import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { watchErrors } from './pageWatch';

const FG = 'confidence on foreground pixels, p_fg';

async function setPFg(page: Page, p: string) {
  const box = page.getByLabel(`${FG} (typed)`);
  await box.fill(p);
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: new RegExp(`p_fg = ${p.replace('.', '\\.')},`) })).toBeVisible();
}
const gradFg = async (page: Page, id: string) => Number(await page.getByTestId(`grad-fg-${id}`).getAttribute('data-value'));

test.describe('confidence sliders and surfaces', () => {
  test('at p_fg = 0.01 the 1 − IoU gradient has collapsed while −log IoU’s has not', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/?view=surface');
    await setPFg(page, '0.5');
    const soft = Math.abs(await gradFg(page, 'softJaccard'));
    const log = Math.abs(await gradFg(page, 'logJaccard'));
    await setPFg(page, '0.01');
    expect(Math.abs(await gradFg(page, 'softJaccard'))).toBeLessThan(soft / 20);
    expect(Math.abs(await gradFg(page, 'logJaccard'))).toBeGreaterThanOrEqual(log);
    await expect(page.getByText(/Here −log IoU’s foreground gradient is \d+× that of 1 − IoU/)).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('the hard IoU is the same at p_fg 0.51 and 0.99 while cross-entropy is not', async ({ page }) => {
    await page.goto('/?view=surface&spbg=0.01');
    const presets = page.getByRole('group', { name: `${FG} presets` });
    await presets.getByRole('button', { name: '0.51' }).click();
    const iou51 = await page.getByTestId('hard-iou').innerText();
    const ce51 = await page.getByTestId('value-bce').innerText();
    await presets.getByRole('button', { name: '0.99' }).click();
    await expect(page.getByTestId('value-bce')).not.toHaveText(ce51);
    expect(await page.getByTestId('hard-iou').innerText()).toBe(iou51);
    expect(iou51).toMatch(/^1\.000/);
  });

  test('the sliders work from the keyboard and say their value', async ({ page }) => {
    await page.goto('/?view=surface');
    const slider = page.getByRole('slider', { name: FG });
    await slider.focus();
    await page.keyboard.press('End');
    await expect(slider).toHaveAttribute('aria-valuetext', 'p = 0.9999');
    await expect(page.getByLabel(`${FG} (typed)`)).toHaveValue('0.9999');
    await page.keyboard.press('Home');
    await expect(page.getByLabel(`${FG} (typed)`)).toHaveValue('0.0001');
    await expect.poll(() => new URL(page.url()).searchParams.get('spfg')).toBe('0.0001');
  });

  test('"Train from here" opens the race with the output prior at p_fg and the same losses', async ({ page }) => {
    await page.goto('/?view=surface&sl=softJaccard&sl=logJaccard');
    await setPFg(page, '0.001');
    await page.getByRole('button', { name: 'Train from here' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    await expect(page.getByLabel('output prior p₀')).toHaveValue('0.001');
    await expect(page.locator('.loss-item')).toHaveCount(2);
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    test(`at ${width}×${height}: no overflow, no axe violations`, async ({ page }, info) => {
      await page.setViewportSize({ width, height });
      await page.goto('/?view=surface&spfg=0.01');
      await expect(page.getByTestId('readout')).toBeVisible();
      const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflowing).toBeLessThanOrEqual(0);
      await page.screenshot({ path: info.outputPath(`surface-${width}x${height}.png`) });
      await page.screenshot({ path: info.outputPath(`surface-${width}x${height}-full.png`), fullPage: true });
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
});

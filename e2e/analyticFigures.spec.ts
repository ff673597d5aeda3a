import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { EMPTY_RULE_LINES } from '../src/analytic/emptyImages';
import { CHAPTERS } from '../src/tour/chapters';
import { watchErrors } from './pageWatch';

/** Every chapter whose figure is, or opens with, parts of the analytic view. */
const ANALYTIC = CHAPTERS.filter((c) => c.figure.kind === 'analytic' || c.figure.aside);

const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const axe = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

test.describe('the analytic chapters’ figures', () => {
  for (const chapter of ANALYTIC)
    for (const [width, height, scheme] of [
      [1280, 800, 'light'],
      [390, 844, 'dark'],
    ] as const)
      test(`${chapter.slug} at ${width}×${height}, ${scheme}: a drawn figure, nothing overflows, no axe violations`, async ({
        page,
      }, info) => {
        const errors = watchErrors(page);
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`/?view=tour&ch=${chapter.slug}`);
        const figure = page.locator('.tour-figure-wrap .surface');
        // A plot, not only a table: an SVG chart or a canvas map in the figure's first card.
        await expect(figure.locator('section.card svg, section.card canvas').first()).toBeVisible();
        expect(await noOverflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: info.outputPath(`${chapter.slug}-${width}x${height}-${scheme}.png`), fullPage: true });
        expect(await axe(page)).toEqual([]);
        expect(errors).toEqual([]);
      });

  test('ch. 1 plots the hard 1 − IoU beside the losses, its gradient on the floor', async ({ page }) => {
    await page.goto('/?view=tour&ch=no-slope');
    const curves = page.locator('section', { has: page.locator('#curves-title') });
    await expect(curves.getByRole('list', { name: 'Curves' })).toContainText('hard 1 − IoU (threshold 0.5)');
    await expect(
      curves.getByRole('img', { name: /^Loss against p_fg; at p_fg = 0\.51: .*hard 1 − IoU \(threshold 0\.5\) 0$/ }),
    ).toBeVisible();
    await expect(curves.getByTestId('zero-floor').first()).toBeVisible();
  });

  test('the surfaces: logit axes and a colour bar on every map, one arrow key, and which maps share a scale', async ({ page }) => {
    await page.goto('/?view=surface');
    const card = page.locator('section', { has: page.locator('#surfaces-title') });
    const maps = card.locator('figure.heatmap');
    await expect(maps.first().locator('canvas')).toBeVisible();
    const n = await maps.count();
    expect(n).toBeGreaterThan(1);
    for (let i = 0; i < n; i++) {
      await expect(maps.nth(i).locator('linearGradient')).toHaveCount(1);
      await expect(maps.nth(i).getByText('z_fg, with p_fg under it →')).toBeVisible();
    }
    await expect(card.getByTestId('arrow-key')).toContainText('below 0.001: vanished');
    await expect(card).toContainText('share one colour scale, 0 to 1');
  });

  test('ch. 7: Σ I / Σ U 0.96 against a mean of ratios 0.50, and the table’s 12.5× on the area plot', async ({ page }) => {
    await page.goto('/?view=tour&ch=aggregation');
    await expect(
      page.getByRole('img', { name: /^Hard IoU of each image: 1, 0; mean of the per-image IoUs 0\.50; .* 0\.96\.$/ }),
    ).toBeVisible();
    await expect(page.locator('section', { has: page.locator('#agg-curve-title') })).toContainText('per image pulls 12.5× harder');
  });

  test('ch. 8: nine empty images score 1 and the one with an object 0, mean 0.90, the data set 0', async ({ page }) => {
    await page.goto('/?view=tour&ch=empty-images');
    await expect(
      page.getByRole('img', {
        name: 'Hard IoU of each image: 1, 1, 1, 1, 1, 1, 1, 1, 1, 0; mean of the per-image IoUs (an empty image with nothing predicted scores 1) 0.90; IoU of the whole data set 0.00.',
      }),
    ).toBeVisible();
    const rules = page.locator('section', { has: page.locator('#empty-title') });
    for (const rule of Object.keys(EMPTY_RULE_LINES)) await expect(rules.getByRole('listitem').filter({ hasText: rule })).toHaveCount(1);
    await expect(rules).toContainText('smoothing 1 moves the loss of these predictions from 1.00 to 0.0998');
  });
});

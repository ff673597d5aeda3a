import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FLAT_LOSS } from '../src/losses/lesson';
import { CHAPTERS } from '../src/tour/chapters';
import { flatRun, readLandscapeFigures, readPlateauFigure } from '../src/tour/figureFiles';
import landscapeJson from '../src/tour/figures/landscape.json' with { type: 'json' };
import plateauJson from '../src/tour/figures/plateau.json' with { type: 'json' };
import { slopeText } from '../app/tour/figureScales';
import { watchErrors } from './pageWatch';

// The tour's precomputed figures (npm run plateau): on the page as soon as the chapter opens, with no training.
const PLATEAU = readPlateauFigure(plateauJson);
const LANDSCAPES = readLandscapeFigures(landscapeJson);
const shown = CHAPTERS.filter((c) => c.figure.kind === 'race' && (c.figure.plateau || c.figure.landscape));

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

/** The largest difference between any two pixels of a map's canvas, per channel: 0 for a map of one colour. */
const colourSpread = (map: Locator) =>
  map.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let spread = 0;
    for (let c = 0; c < 3; c++) {
      let lo = 255;
      let hi = 0;
      for (let i = c; i < data.length; i += 4) {
        lo = Math.min(lo, data[i]);
        hi = Math.max(hi, data[i]);
      }
      spread = Math.max(spread, hi - lo);
    }
    return spread;
  });

for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  test(`the precomputed figures at ${width}×${height}: shown untrained, no overflow, no axe violations in light or dark`, async ({
    page,
  }, info) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width, height });
    for (const c of shown) {
      if (c.figure.kind !== 'race') continue;
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(`/?view=tour&ch=${c.slug}`);
      if (c.figure.plateau) {
        const chart = page.getByTestId('plateau-chart');
        await expect(chart.getByTestId('plateau-slope')).toHaveText(slopeText(flatRun(PLATEAU)!.fit!.slope));
        await expect(chart.locator('circle')).toHaveCount(PLATEAU.runs.length * PLATEAU.priors.length);
        await chart.getByText('The numbers').click();
        await expect(chart.getByRole('row')).toHaveCount(PLATEAU.priors.length + 1);
      }
      if (c.figure.landscape) {
        const figure = page.getByTestId('landscape-figure');
        const runs = LANDSCAPES[c.slug].runs;
        await expect(figure.locator('section')).toHaveCount(runs.length);
        for (const [k, run] of runs.entries()) {
          const loss = figure.locator('section').nth(k).locator('.slice-map').first();
          await expect(loss.getByRole('img')).toBeVisible();
          // One colour scale for every run: the plateau's map is one colour, the others' are not.
          const spread = await colourSpread(loss);
          if (run.loss.id === FLAT_LOSS) expect(spread, run.loss.id).toBeLessThan(8);
          else expect(spread, run.loss.id).toBeGreaterThan(100);
        }
      }
      // Nothing was trained for them.
      await expect(page.getByTestId('step-counter')).toHaveText(/^\D*0\D*$/);
      const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflowing, c.slug).toBeLessThanOrEqual(0);
      await page.screenshot({ path: info.outputPath(`${c.slug}-${width}x${height}.png`), fullPage: true });
      expect(await axeViolations(page), c.slug).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await axeViolations(page), `${c.slug}, dark`).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
}

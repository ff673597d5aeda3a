import { expect, test, type Locator, type Page } from '@playwright/test';
import { CONDITIONED_LOSS, FLAT_LOSS, pixelLoss } from '../src/losses/lesson';
import { lossInfo } from '../src/losses/registry';
import { watchErrors } from './pageWatch';

/** The three losses of the lesson, which the first page races: each keeps its colour and name in every view. */
const LESSON = [FLAT_LOSS, CONDITIONED_LOSS, pixelLoss('binary')];
/** Their legend names in a binary race. */
const [FLAT_NAME, CONDITIONED_NAME] = [FLAT_LOSS, CONDITIONED_LOSS].map((id) => lossInfo(id)!.name);

/** Each swatch's colour under `where`, keyed by the name written beside it. */
async function swatches(where: Locator): Promise<Record<string, string>> {
  await expect(where.locator('.swatch').first()).toBeVisible();
  return where.evaluate((root) =>
    Object.fromEntries(
      [...root.querySelectorAll('.swatch')].map((s) => [s.parentElement!.textContent!.trim(), getComputedStyle(s).backgroundColor]),
    ),
  );
}

/** The colours of the lines a chart draws. */
const lineColours = (page: Page, chart: string) =>
  page
    .getByTestId(`chart-${chart}`)
    .locator('svg g[clip-path] path[stroke]')
    .evaluateAll((paths) => [...new Set(paths.map((p) => getComputedStyle(p).stroke))]);

/** The tour's chapters, from its own chapter list: the addresses of every chapter. */
async function chapterLinks(page: Page): Promise<string[]> {
  await page.goto('/?view=tour');
  const links = page.getByRole('navigation', { name: 'Chapters' }).locator('ol a');
  await expect(links.first()).toBeVisible();
  return links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).search));
}

/** Opens a chapter; its run legend once the race is set up, or null where its figure is not a race. */
async function openChapter(page: Page, search: string): Promise<Locator | null> {
  await page.goto(`/${search}`);
  await expect(page.locator('#chapter-title')).toBeVisible();
  const legend = page.getByRole('list', { name: 'Runs' });
  if ((await legend.count()) === 0) return null;
  await expect(legend.locator('li').first()).toBeVisible();
  return legend;
}

test('each loss has one colour and one name in the race, the chapters, the surfaces, the landscape and an embedded figure', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const seen: { view: string; colours: Record<string, string> }[] = [];

  await page.goto('/');
  const race = await swatches(page.getByRole('list', { name: 'Runs' }));
  seen.push({ view: 'race view', colours: race });
  // The lines are drawn in the legend's colours.
  expect((await lineColours(page, 'Validation IoU')).sort()).toEqual(Object.values(race).sort());

  await page.goto('/?view=tour&ch=no-slope');
  seen.push({ view: 'chapter 1', colours: await swatches(page.getByTestId('readout')) });
  await page.goto('/?view=tour&ch=collapse');
  seen.push({ view: 'chapter 3', colours: await swatches(page.getByRole('list', { name: 'Runs' })) });
  await page.goto('/?view=surface');
  seen.push({ view: 'surfaces', colours: await swatches(page.getByTestId('readout')) });
  await page.goto('/?view=landscape');
  seen.push({ view: 'landscape', colours: await swatches(page.locator('fieldset.landscape-runs')) });
  await page.goto('/?v=3&embed=1&fig=race');
  seen.push({ view: 'embed', colours: await swatches(page.getByRole('list', { name: 'Runs' })) });

  // The first page's names are the reference: every view shows the same name for each of the lesson's losses…
  const names = Object.keys(race);
  expect(names).toHaveLength(LESSON.length);
  for (const { view, colours } of seen) {
    for (const name of names) expect(colours[name], `${name} in the ${view}`).toBe(race[name]);
  }
  // …and those colours differ from each other.
  expect(new Set(Object.values(race)).size).toBe(names.length);
  expect(errors).toEqual([]);
});

test('every chapter’s race: human names, a colour per run, both line styles in the legend, and only its own captions', async ({ page }) => {
  const errors = watchErrors(page);
  const legends: Record<string, string[]> = {};
  let styled = 0;
  for (const search of await chapterLinks(page)) {
    const legend = await openChapter(page, search);
    if (!legend) continue;
    const names = (await legend.locator('li').allInnerTexts()).map((n) => n.trim());
    legends[new URLSearchParams(search).get('ch')!] = names;
    // No option printed as a setting (`true`, `perImage`, `[1, 20, 20]`), no two runs alike, no numbering.
    for (const n of names) expect(n, search).not.toMatch(/\btrue\b|\bfalse\b|\b(?!mIoU\b)[a-z]+[A-Z][a-zA-Z]*|\[|#\d/);
    expect(new Set(names).size, search).toBe(names.length);
    expect(new Set(Object.values(await swatches(legend))).size, `${search}: one colour per run`).toBe(names.length);
    // "1 − IoU’s gradient is about p times −log IoU’s" belongs to races that have both.
    const caption = page.locator('figure.chart-panel', { has: page.getByTestId('chart-Gradient magnitude') }).locator('figcaption');
    await expect(caption).toContainText('Log axis');
    if (names.includes(FLAT_NAME) && names.includes(CONDITIONED_NAME)) {
      await expect(caption, search).toContainText('1 − IoU’s gradient is about p times −log IoU’s');
    } else {
      await expect(caption, search).not.toContainText('1 − IoU');
    }
    // Each line style the gradient chart draws is in its legend (the chapters plot solid object and dashed background pixels).
    const dashed = await page.getByTestId('chart-Gradient magnitude').locator('svg path[stroke-dasharray]').count();
    if (dashed > 0) {
      styled++;
      const styles = page.getByRole('list', { name: 'Line styles' });
      await expect(styles.locator('.legend-dashed'), search).toHaveCount(1);
      await expect(styles.locator('.legend-line:not(.legend-dashed)'), search).toHaveCount(1);
    }
  }
  expect(Object.keys(legends).length).toBeGreaterThan(3);
  expect(styled, 'a chapter plots dashed lines').toBeGreaterThan(0);
  expect(legends.imbalance).toEqual(expect.arrayContaining(['−log mIoU (background included)', '−log mIoU (background left out)']));
  // smp's DiceLoss computes Dice: its legend says so first.
  expect(legends.surrogates.some((n) => n.startsWith('1 − Dice (Tversky'))).toBe(true);
  expect(legends.surrogates.some((n) => n.startsWith('Tversky'))).toBe(false);
  expect(errors).toEqual([]);
});

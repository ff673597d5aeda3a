import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CHAPTERS } from '../src/tour/chapters';
import { watchErrors } from './pageWatch';

const stepCount = async (page: Page) => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''));
const chapterTitle = (page: Page) => page.locator('#chapter-title');

/** A run's latest validation IoU, read from the IoU chart's accessible summary. */
async function valIoU(page: Page, runLabel: string): Promise<number> {
  const summary = (await page.getByTestId('chart-Validation IoU').getAttribute('aria-label')) ?? '';
  const m = new RegExp(`${runLabel.replace(/[()−]/g, '.')} ([0-9.]+)`).exec(summary);
  return m ? Number(m[1]) : NaN;
}

test('the first page is the collapsed start: after 300 steps 1 − IoU is still flat while −log IoU has learnt', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const callout = page.getByTestId('callout');
  await expect(callout).toContainText('Press Play');
  await expect(callout.getByRole('button', { name: /guided tour/ })).toBeVisible();
  // Figure first: Play, the callout and the three charts fit the first screen at 1280×800.
  for (const target of [page.getByRole('button', { name: 'Play' }), callout, page.getByTestId('chart-Validation IoU')]) {
    const box = (await target.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800);
  }
  await expect(page.getByLabel('output prior p₀')).toHaveValue('0.0001');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect
    .poll(async () => /at step (\d+)/.exec((await page.getByTestId('chart-Validation IoU').getAttribute('aria-label')) ?? '')?.[1])
    .toBeTruthy();
  expect(await valIoU(page, '1 − IoU (soft Jaccard)')).toBeLessThan(0.05);
  expect(await valIoU(page, '−log IoU')).toBeGreaterThan(0.7);
  // The hint can be dismissed, and its link opens the tour.
  await page.getByRole('button', { name: 'Dismiss the hint' }).click();
  await expect(callout).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the hint leads into the tour; the keyboard turns the chapters; a chapter link reloads to its chapter', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page
    .getByTestId('callout')
    .getByRole('button', { name: /guided tour/ })
    .click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[0].title);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[1].title);
  await page.keyboard.press('ArrowRight');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[2].title);
  await page.keyboard.press('ArrowLeft');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[1].title);
  // From the Next button too (focus stays on it after a click).
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.keyboard.press('ArrowLeft');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[1].title);
  await expect.poll(() => new URL(page.url()).searchParams.get('ch')).toBe(CHAPTERS[1].slug);
  await page.reload();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[1].title);
  // The browser's Back and Forward step through the chapters read.
  await page.goBack();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[2].title);
  await page.goForward();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[1].title);
  // By number too, and the chapter list's links.
  await page.goto('/?view=tour&ch=5');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[4].title);
  await page
    .getByRole('navigation', { name: 'Chapters' })
    .getByRole('link', { name: CHAPTERS.at(-1)!.title })
    .click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS.at(-1)!.title);
  await expect(page.getByRole('button', { name: 'Next →' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('a bad chapter in the link opens the first one and says so', async ({ page }) => {
  await page.goto('/?view=tour&ch=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[0].title);
  await expect(page.getByTestId('url-corrections')).toContainText('is not a chapter of the tour');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
});

test('a chapter’s race starts on Play only, and leaving the chapter stops it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?view=tour&ch=collapse&sps=off');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(5);
  // To the next chapter (another race): its race is new and waits for Play.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[3].title);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(0);
  // Back, and the first chapter's race has ended: step 0, paused.
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(0);
  // To the explorer while training: the chapter's race ends, the explorer's own race waits for Play.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(3);
  await page.getByRole('button', { name: 'Loss race', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(0);
  expect(errors).toEqual([]);
});

test('opening an analytic chapter pauses the explorer’s race, which is still there on return', async ({ page }) => {
  await page.goto('/?sps=off');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(5);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Guided tour' }).click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[0].title);
  await page.waitForTimeout(1000);
  await page.getByRole('button', { name: 'Loss race', exact: true }).click();
  const paused = await stepCount(page);
  expect(paused).toBeGreaterThan(5);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(paused);
});

test('the Scenarios menu and "Open in the explorer" load a chapter’s race into the explorer', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByLabel('Scenarios').selectOption({ label: 'Adam hides it' });
  await expect(page.getByRole('combobox', { name: 'optimiser', exact: true })).toHaveValue('adam');
  await expect.poll(() => new URL(page.url()).searchParams.get('opt')).toBe('adam');
  await expect(page.getByTestId('callout')).toHaveCount(0);

  await page.goto('/?view=tour&ch=log-cost');
  await page.getByRole('link', { name: 'Open in the explorer' }).click();
  await expect(page.getByRole('button', { name: 'Loss race', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('clip global norm')).toHaveValue('');
  await expect(page.getByLabel('output prior p₀')).toHaveValue('0.0001');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
});

// Every chapter, at a laptop and a phone size: its figure, no errors, no overflow, no axe violations, a screenshot.
for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  test(`every chapter at ${width}×${height}: figure shown, no overflow, no axe violations, no console errors`, async ({ page }, info) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    await page.setViewportSize({ width, height });
    for (const [i, c] of CHAPTERS.entries()) {
      await page.goto(`/?view=tour&ch=${c.slug}`);
      await expect(chapterTitle(page)).toHaveText(c.title);
      if (c.figure.kind === 'race') {
        await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
        await expect(page.getByTestId('chart-Validation IoU')).toBeVisible();
      } else {
        await expect(page.locator('.tour-figure-wrap .card').first()).toBeVisible();
      }
      const overflowing = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflowing, c.slug).toBeLessThanOrEqual(0);
      await page.screenshot({ path: info.outputPath(`tour-${i + 1}-${c.slug}-${width}x${height}.png`), fullPage: true });
      const violations = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
      expect(violations, c.slug).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
}

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CHAPTERS, type RaceFigure } from '../src/tour/chapters';
import { watchErrors } from './pageWatch';

const stepCount = async (page: Page) => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''));
const chapterTitle = (page: Page) => page.locator('#chapter-title');

/** A run's latest validation IoU, read from the IoU chart's accessible summary. */
async function valIoU(page: Page, runLabel: string): Promise<number> {
  const summary = (await page.getByTestId('chart-Validation IoU').getAttribute('aria-label')) ?? '';
  const m = new RegExp(`${runLabel.replace(/[()−]/g, '.')} ([0-9.]+)`).exec(summary);
  return m ? Number(m[1]) : NaN;
}

/** Where a chart's "claims measured here" marker sits along its step axis: 1 at the axis's end, 0 at its start. */
const markerAlong = (page: Page, chart: string) =>
  page.getByTestId(`chart-${chart}`).evaluate((el) => {
    const marker = el.querySelector('[data-testid="measured-marker"]')!;
    const x = Number(/translate\(([-\d.]+)/.exec(marker.getAttribute('transform') ?? '')![1]);
    return x / Number(el.querySelector('line.axis')!.getAttribute('x2'));
  });

/**
 * Records in the page, from its first script on, each click that asks a race to train (Play, Keep training) and each
 * time a race starts (its Pause button appears), so a race that starts by itself is caught however late it starts
 * within the test, where a fixed wait would only catch one that starts early.
 */
async function watchStarts(page: Page) {
  await page.addInitScript(() => {
    const log: string[] = [];
    (window as unknown as { __starts: string[] }).__starts = log;
    let playing = false;
    const asks = /^(Play|Keep training)/;
    document.addEventListener(
      'click',
      (e) => asks.test((e.target as Element).closest('button')?.textContent ?? '') && log.push('asked'),
      true,
    );
    new MutationObserver(() => {
      const now = [...document.querySelectorAll('button')].some((b) => b.textContent === 'Pause');
      if (now && !playing) log.push('started');
      playing = now;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** The starts so far that no click asked for (each ask pays for one start). */
const unaskedStarts = (page: Page) =>
  page.evaluate(() => {
    let asked = 0;
    let unasked = 0;
    for (const e of (window as unknown as { __starts: string[] }).__starts) {
      if (e === 'asked') asked++;
      else if (asked > 0) asked--;
      else unasked++;
    }
    return unasked;
  });

/**
 * Nothing trains: the race stands at `step`, its transport is idle (Step is enabled only while nothing plays), and
 * no race has started unasked so far. The test checks the starts again at its end, so a late start is caught too.
 */
async function stillAt(page: Page, step: number) {
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeEnabled();
  expect(await stepCount(page)).toBe(step);
  expect(await unaskedStarts(page)).toBe(0);
}

const OPENING = CHAPTERS.find((c) => c.slug === 'collapse')!.figure as RaceFigure;

test('the first page stops by itself where its hint is measured; past it, the hint says what happens next', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto('/?sps=off');
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
  // The step axis spans the measured stretch from the start, marked.
  expect(await markerAlong(page, 'Validation IoU')).toBeCloseTo(1, 3);
  await expect(page.getByTestId('measured-marker')).toHaveCount(3);
  await page.getByRole('button', { name: 'Play' }).click();
  // It stops on its own at the hint's step, exactly, and offers to go on.
  const keep = callout.getByRole('button', { name: 'Keep training →' });
  await expect(keep).toBeVisible({ timeout: 240_000 });
  expect(await stepCount(page)).toBe(OPENING.config.steps);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect
    .poll(async () => /at step (\d+)/.exec((await page.getByTestId('chart-Validation IoU').getAttribute('aria-label')) ?? '')?.[1])
    .toBe(String(OPENING.config.steps));
  expect(await valIoU(page, '1 − IoU (soft Jaccard)')).toBeLessThan(0.05);
  expect(await valIoU(page, '−log IoU')).toBeGreaterThan(0.7);
  await expect(callout).toContainText('stays flat');
  // Past it, "stays flat" is gone: the hint says what the race does next, and the marker stays.
  await keep.click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(OPENING.config.steps);
  await expect(callout).toContainText(`Past step ${OPENING.config.steps}:`);
  await expect(callout).toContainText(OPENING.after!.text);
  await expect(callout).not.toContainText('stays flat');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('measured-marker')).toHaveCount(3);
  // The hint can be dismissed; without it the race has nothing to stop for.
  await page.getByRole('button', { name: 'Dismiss the hint' }).click();
  await expect(callout).toHaveCount(0);
  await expect(page.getByTestId('measured-marker')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a chapter’s race stops by itself at its measured step; Keep training goes past it and says what happens next', async ({ page }) => {
  const errors = watchErrors(page);
  const chapter = CHAPTERS.find((c) => c.slug === 'log-cost')!;
  const figure = chapter.figure as RaceFigure;
  const at = figure.config.steps;
  await watchStarts(page);
  await page.goto(`/?view=tour&ch=${chapter.slug}&sps=off`);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  // From the start the step axis spans 0…the measured step, marked in each chart.
  await expect(page.getByTestId('measured-marker')).toHaveCount(3);
  for (const chart of ['Loss', 'Gradient magnitude', 'Validation IoU']) expect(await markerAlong(page, chart), chart).toBeCloseTo(1, 3);
  await page.getByRole('button', { name: 'Play' }).click();
  const note = page.getByTestId('measured-note');
  await expect(note).toContainText(`Stopped at step ${at}`);
  expect(await stepCount(page)).toBe(at);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Stopped for good: nothing trains until asked.
  await stillAt(page, at);
  await note.getByRole('button', { name: 'Keep training →' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(at + 20);
  await expect(note).toContainText(`Past step ${at}: ${figure.after!.text}`);
  await page.getByRole('button', { name: 'Pause' }).click();
  // The axis has grown past the measured step; the marker stays where it was measured.
  await expect.poll(() => markerAlong(page, 'Validation IoU')).toBeLessThan(0.9);
  await expect(page.getByTestId('measured-marker')).toHaveCount(3);
  // Reset: the race stops at the same step again.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => stepCount(page)).toBe(0);
  await expect(note).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(note).toContainText(`Stopped at step ${at}`);
  await stillAt(page, at);
  expect(errors).toEqual([]);
});

test('an embedded chapter (fig=tour) stops at its measured step too, and keeps training on request', async ({ page }) => {
  const errors = watchErrors(page);
  const chapter = CHAPTERS.find((c) => c.slug === 'log-cost')!;
  const at = (chapter.figure as RaceFigure).config.steps;
  await page.goto(`/?embed=1&fig=tour&ch=${chapter.slug}&sps=off`);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await expect(page.getByTestId('measured-marker')).toHaveCount(3);
  await page.getByRole('button', { name: 'Play' }).click();
  const note = page.getByTestId('measured-note');
  await expect(note).toContainText(`Stopped at step ${at}`);
  expect(await stepCount(page)).toBe(at);
  await note.getByRole('button', { name: 'Keep training →' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(at);
  await expect(note).toContainText(`Past step ${at}:`);
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
  await watchStarts(page);
  await page.goto('/?view=tour&ch=collapse&sps=off');
  await stillAt(page, 0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(5);
  // To the next chapter (another race): its race is new and waits for Play.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[3].title);
  await stillAt(page, 0);
  // Back, and the first chapter's race has ended: step 0, paused.
  await page.getByRole('button', { name: '← Back' }).click();
  await stillAt(page, 0);
  // To the explorer while training: the chapter's race ends, the explorer's own race waits for Play.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(3);
  await page.getByRole('button', { name: 'Loss race', exact: true }).click();
  await stillAt(page, 0);
  // One step goes through the engine after every request the page made before it: exactly one step, still idle.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => stepCount(page)).toBe(1);
  await stillAt(page, 1);
  expect(errors).toEqual([]);
});

test('opening an analytic chapter pauses the explorer’s race, which is still there on return', async ({ page }) => {
  await watchStarts(page);
  await page.goto('/?sps=off');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(5);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Guided tour' }).click();
  await expect(chapterTitle(page)).toHaveText(CHAPTERS[0].title);
  // The chapter's figure is drawn: the explorer's race has had the time a page takes to draw to keep training.
  await expect(page.locator('.tour-figure-wrap').locator('svg, canvas').first()).toBeVisible();
  await page.getByRole('button', { name: 'Loss race', exact: true }).click();
  const paused = await stepCount(page);
  expect(paused).toBeGreaterThan(5);
  await stillAt(page, paused);
  // Paused in the engine as on the page: one step after every earlier request is exactly one step.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => stepCount(page)).toBe(paused + 1);
  await stillAt(page, paused + 1);
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
      // The first screen shows the figure: at least 300 px of its first card, and where the figure is a race, its Play
      // button and the plot of its first chart (ch. 4 and 7 open with a figure of their own, above their race).
      const top = async (target: Locator) => (await target.boundingBox())!.y;
      expect(await top(page.locator('.tour-figure-wrap > *').first()), c.slug).toBeLessThan(height - 300);
      if (c.figure.kind === 'race' && !c.figure.landscape && !c.figure.aside) {
        const play = (await page.getByRole('button', { name: 'Play' }).boundingBox())!;
        expect(play.y + play.height, c.slug).toBeLessThanOrEqual(height);
        expect(await top(page.getByTestId('chart-Loss')), c.slug).toBeLessThanOrEqual(height - 150);
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

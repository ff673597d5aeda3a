import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { csvParse } from 'd3-dsv';
import { readResults } from '../src/train/resultsFile';
import { watchErrors } from './pageWatch';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Clicks a download button inside `within` and returns the file's suggested name and its bytes. */
async function download(page: Page, within: Locator, name: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), within.getByRole('button', { name, exact: true }).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

test('each chart downloads as PNG (twice the pixels), SVG and CSV, named for the chart and the step', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?sps=off');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('step 2');
  const panel = page.locator('figure.chart-panel', { has: page.getByRole('heading', { name: 'Validation IoU' }) });
  await panel.getByText('download').click();
  const fetch = (name: string) => download(page, panel, name);

  const png = await fetch('PNG');
  expect(png.name).toBe('race-validation-iou-step-2.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  // IHDR: width and height, big-endian, at bytes 16–23; twice the chart's CSS size.
  const chartWidth = (await panel.locator('svg').boundingBox())!.width;
  expect(png.bytes.readUInt32BE(16)).toBe(2 * Math.round(chartWidth));

  const svg = await fetch('SVG');
  expect(svg.name).toBe('race-validation-iou-step-2.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('Validation IoU, step 2');
  for (const label of ['1 − IoU (soft Jaccard)', '−log IoU', 'Binary cross-entropy']) expect(text).toContain(label);
  // The page's stylesheet is not there: the lines carry their own colours.
  expect(text).not.toContain('var(--');

  const csv = await fetch('CSV');
  expect(csv.name).toBe('race-validation-iou-step-2.csv');
  const rows = csvParse(csv.bytes.toString('utf8'));
  expect(rows.columns).toEqual(['step', '1 − IoU (soft Jaccard)', '−log IoU', 'Binary cross-entropy']);
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(Number(rows[0]['−log IoU'])).toBeGreaterThanOrEqual(0);
  expect(errors).toEqual([]);
});

test('the race downloads as a results file in the experiment CLI’s format', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?sps=off');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('step 3');
  const file = await download(page, page.locator('body'), 'results JSON');
  expect(file.name).toBe('race-results-step-3.json');
  const results = readResults(JSON.parse(file.bytes.toString('utf8')));
  expect(results.steps).toBe(3);
  expect(results.runs.map((r) => r.loss.id)).toEqual(['softJaccard', 'logJaccard', 'bce']);
  for (const run of results.runs) {
    expect(run.history.step).toEqual([1, 2, 3]);
    expect(run.val.step[0]).toBe(0);
    expect(run.kept).toEqual({ everyNthStep: 1, everyNthEval: 1 });
  }
  expect(results.config.optimizer.clipNorm).toBe(1);
  expect(errors).toEqual([]);
});

test('the analytic view’s curves download as SVG, PNG and CSV over the logit', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?view=surface');
  const panel = page.locator('figure.chart-panel', { has: page.getByRole('heading', { name: 'Loss', exact: true }) });
  await panel.getByText('download').click();
  const fetch = (name: string) => download(page, panel, name);
  const svg = await fetch('SVG');
  expect(svg.name).toBe('surface-loss-against-p_fg.svg');
  expect(svg.bytes.toString('utf8')).toContain('Loss against p_fg (p_bg 0.05)');
  const png = await fetch('PNG');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const rows = csvParse((await fetch('CSV')).bytes.toString('utf8'));
  expect(rows.columns[0]).toBe('logit(p_fg)');
  expect(rows.length).toBeGreaterThan(100);
  expect(errors).toEqual([]);
});

test('the analytic view’s maps download as one PNG (twice the pixels) and one SVG, titled, with the current prediction', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?view=surface');
  const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Surfaces over (z_fg, z_bg)' }) });
  await expect(card.locator('canvas').first()).toBeVisible();
  const maps = await card.locator('figure.heatmap').count();
  await card.getByText('download').click();
  const fetch = (name: string) => download(page, card, name);
  const svg = await fetch('SVG');
  expect(svg.name).toBe('surface-loss-maps.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text.match(/<image /g)).toHaveLength(maps);
  expect(text.match(/<circle /g)).toHaveLength(maps);
  for (const title of ['Loss surfaces over (z_fg, z_bg)', '−log IoU', 'hard IoU']) expect(text).toContain(title);
  const png = await fetch('PNG');
  expect(png.name).toBe('surface-loss-maps.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const width = Number(text.match(/width="(\d+)"/)![1]);
  expect(png.bytes.readUInt32BE(16)).toBe(2 * width);
  expect(errors).toEqual([]);
});

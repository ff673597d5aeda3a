import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { readResults } from '../src/train/resultsFile';
import { watchErrors } from './pageWatch';
import { serveDist, STRICT_CSP } from './staticServer';

// A course page (e2e/fixtures/host.html) with two iframe figures and one <seg-loss-playground>, on another origin
// than the explorer, which is served under a sub-path with a strict Content-Security-Policy.
const MOUNT = '/course/explorer/';
let host: Awaited<ReturnType<typeof serveDist>>;
let app: Awaited<ReturnType<typeof serveDist>>;
test.beforeAll(async () => {
  host = await serveDist('e2e/fixtures');
  // A module script from another origin needs CORS: the explorer's host lets any page load embed.js.
  app = await serveDist('dist', MOUNT, { 'content-security-policy': STRICT_CSP, 'access-control-allow-origin': '*' });
});
test.afterAll(async () => {
  await host.close();
  await app.close();
});

type Event = { frame: string; type: string; height?: number; step?: number; query?: string };
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Event[] }).events);
const steps = async (page: Page, frame: 'a' | 'b') =>
  page
    .frameLocator(`#${frame}`)
    .getByTestId('step-counter')
    .innerText()
    .then((t) => Number(t.replace(/\D/g, '')));

/** How far an iframe's height (less its 1 px borders) is from its content's. */
async function heightGap(page: Page, frame: 'a' | 'b') {
  const frameHeight = (await page.locator(`#${frame}`).boundingBox())!.height;
  const content = await page
    .frameLocator(`#${frame}`)
    .locator('html')
    .evaluate((el) => el.getBoundingClientRect().height);
  return Math.abs(frameHeight - 2 - content);
}

async function openHost(page: Page, extra = '') {
  await page.goto(
    `${host.url}/host.html?app=${encodeURIComponent(`${app.url}${MOUNT.slice(0, -1)}`)}${extra ? `&a=${encodeURIComponent(extra)}` : ''}`,
  );
  const a = page.frameLocator('#a');
  await expect(a.getByRole('button', { name: 'Play' })).toBeEnabled();
  return a;
}

test('an embedded figure shows only its figure, sizes its iframe, and trains on Play', async ({ page }) => {
  const errors = watchErrors(page);
  const a = await openHost(page);
  await expect(a.getByRole('navigation', { name: 'Views' })).toHaveCount(0);
  await expect(a.getByTestId('chart-Validation IoU')).toBeVisible();
  await expect(a.getByRole('link', { name: 'Open in Seg Loss Playground ↗' })).toHaveAttribute('target', '_blank');
  // The iframe is as tall as what it shows.
  await expect.poll(() => heightGap(page, 'a')).toBeLessThanOrEqual(4);
  expect((await events(page)).some((e) => e.frame === 'a' && e.type === 'ready')).toBe(true);
  await a.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(5);
  await expect.poll(async () => (await events(page)).filter((e) => e.frame === 'a' && e.type === 'step').length).toBeGreaterThan(0);
  // The figure below the fold never started its engine.
  await expect(page.frameLocator('#b').getByRole('button', { name: 'Play' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('only the figure on screen trains: scrolled away it pauses and resumes on return; starting another pauses the first', async ({
  page,
}) => {
  const a = await openHost(page);
  await a.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(3);
  // Off screen, a pauses. (Chromium stops drawing an off-screen iframe, so its counter is read on return.)
  const left = await steps(page, 'a');
  await page.locator('#b').scrollIntoViewIfNeeded();
  const b = page.frameLocator('#b');
  await expect(b.getByRole('button', { name: 'Play' })).toBeEnabled();
  await page.waitForTimeout(3000);
  await page.locator('#a').scrollIntoViewIfNeeded();
  // At 20 steps a second it would have gone some 60 steps further had it not paused (a busy machine only slows it).
  expect(await steps(page, 'a')).toBeLessThan(left + 30);
  // Back on screen, a resumes what it paused.
  await expect(a.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(left + 5);
  // Both on screen, starting b pauses a.
  await page.setViewportSize({ width: 1280, height: 4000 });
  await b.getByRole('button', { name: 'Play' }).click();
  await expect(b.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(a.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('away for a while, a figure lets its worker go; back, it builds it again and goes on from the same step with its history', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const workers: { url: string; closed: boolean }[] = [];
  page.on('worker', (w) => {
    const entry = { url: w.url(), closed: false };
    workers.push(entry);
    w.on('close', () => (entry.closed = true));
  });
  const a = await openHost(page, 'release=2');
  await a.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(8);
  // Far away (b is 2400 px below): a pauses, and two seconds later its worker is gone. (The element c nearby has
  // a worker too; it and b keep theirs for the default minute.)
  await expect.poll(() => workers.length).toBeGreaterThan(0);
  await page.locator('#b').scrollIntoViewIfNeeded();
  await expect.poll(() => workers.filter((w) => w.closed).length, { timeout: 15_000 }).toBe(1);
  const started = workers.length;
  await page.locator('#a').scrollIntoViewIfNeeded();
  const back = await steps(page, 'a');
  expect(back).toBeGreaterThan(8);
  const points = Number(await a.getByTestId('chart-Validation IoU').getAttribute('data-points'));
  // A new worker takes the race back and, as it was playing, trains on from where it stopped.
  await expect.poll(() => workers.length, { timeout: 30_000 }).toBeGreaterThan(started);
  await expect(a.getByRole('button', { name: 'Pause' })).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(back + 5);
  expect(Number(await a.getByTestId('chart-Validation IoU').getAttribute('data-points'))).toBeGreaterThanOrEqual(points);
  // The results file of the rebuilt race holds the steps from before the release.
  await a.getByRole('button', { name: 'Pause' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), a.getByRole('button', { name: 'results JSON' }).click()]);
  const results = readResults(JSON.parse(readFileSync((await download.path())!, 'utf8')));
  expect(results.runs[0].history.step.slice(0, 3)).toEqual([1, 2, 3]);
  expect(results.steps).toBeGreaterThan(back);
  expect(errors).toEqual([]);
});

test('the host drives a figure by message; bad and hostile messages change nothing; Space on the host is the host’s', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const a = await openHost(page);
  const send = (message: unknown) =>
    page.evaluate((m) => (window as unknown as { send: (f: string, m: unknown) => void }).send('a', m), message);
  // Space on the host page does not reach the figure.
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  await page.waitForTimeout(500);
  expect(await steps(page, 'a')).toBe(0);

  await send({ source: 'seg-loss-playground', type: 'play' });
  await expect.poll(() => steps(page, 'a')).toBeGreaterThan(3);
  await send({ source: 'seg-loss-playground', type: 'pause' });
  await expect(a.getByRole('button', { name: 'Play' })).toBeVisible();
  // The host hears the step the figure stopped at, however soon after the previous notice it came.
  // (Steps already under way when the pause arrived still land: wait for the counter to settle.)
  await expect
    .poll(async () => {
      const before = await steps(page, 'a');
      await page.waitForTimeout(300);
      return (await steps(page, 'a')) - before;
    })
    .toBe(0);
  const stopped = await steps(page, 'a');
  await expect.poll(async () => (await events(page)).filter((e) => e.frame === 'a' && e.type === 'step').at(-1)?.step).toBe(stopped);

  // setState goes through the URL parser: the good value applies, the bad one is corrected and listed.
  await send({ source: 'seg-loss-playground', type: 'setState', query: 'lr=0.05&width=999' });
  await expect(a.getByTestId('url-corrections')).toContainText('width=999');
  // The notice made the figure taller: the iframe follows.
  await expect.poll(() => heightGap(page, 'a')).toBeLessThanOrEqual(4);
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'state').at(-1)?.query).toContain('lr=0.05');

  const statesBefore = (await events(page)).filter((e) => e.type === 'state').length;
  for (const hostile of [
    '<img src=x onerror=alert(1)>',
    { source: 'seg-loss-playground', type: 'eval', code: 'alert(1)' },
    { source: 'seg-loss-playground', type: 'setState', query: { html: '<b>x</b>' } },
    { type: 'play' },
  ])
    await send(hostile);
  await expect.poll(() => warnings.filter((w) => w.startsWith('Seg Loss Playground ignored a message')).length).toBe(4);
  expect(await a.locator('img[src="x"]').count()).toBe(0);
  // No setting changed (the figure tells the host every change) and the race is as it was.
  expect((await events(page)).filter((e) => e.type === 'state').length).toBe(statesBefore);
  await expect(a.getByRole('button', { name: 'Play' })).toBeVisible();
  expect(await steps(page, 'a')).toBeGreaterThan(3);
});

test('<seg-loss-playground> from embed.js: sizes itself, plays on el.play(), and fires step events', async ({ page }) => {
  const errors = watchErrors(page);
  await openHost(page);
  const c = page.frameLocator('#c iframe');
  // Below the first figure: it loads when the reader scrolls to it.
  await page.locator('#c').scrollIntoViewIfNeeded();
  await expect(c.getByRole('button', { name: 'Play' })).toBeEnabled();
  await expect(c.getByText('Binary cross-entropy').first()).toBeVisible();
  await expect
    .poll(async () => {
      const frameHeight = (await page.locator('#c iframe').boundingBox())!.height;
      const content = await c.locator('html').evaluate((el) => el.getBoundingClientRect().height);
      return Math.abs(frameHeight - content);
    })
    .toBeLessThanOrEqual(4);
  await page.evaluate(() => (document.getElementById('c') as HTMLElement & { play(): void }).play());
  await expect(c.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(async () => (await events(page)).filter((e) => e.frame === 'c' && e.type === 'step').length).toBeGreaterThan(0);
  expect((await events(page)).some((e) => e.frame === 'c' && e.type === 'ready')).toBe(true);
  expect(errors).toEqual([]);
});

test('the Embed dialog gives an iframe, an element and a link for the figure on screen, with a live preview', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lr=0.05');
  await page.getByRole('button', { name: 'Embed' }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed this figure' });
  const iframe = await dialog.getByLabel(/An iframe/).inputValue();
  expect(iframe).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=3&amp;lr=0\.05&amp;embed=true/);
  const element = await dialog.getByLabel(/The element/).inputValue();
  expect(element).toMatch(/<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/embed\.js"><\/script>/);
  expect(element).toContain('<seg-loss-playground query="v=3&amp;lr=0.05');
  expect(element).not.toContain('embed=');
  expect(await dialog.getByLabel('A plain link').inputValue()).toMatch(/\/\?v=3&lr=0\.05&l=/);
  await expect(dialog.frameLocator('iframe').getByRole('button', { name: 'Play' })).toBeEnabled();
  await dialog.getByRole('combobox', { name: 'Figure' }).selectOption('surfaces');
  expect(await dialog.getByLabel(/An iframe/).inputValue()).toContain('fig=surfaces');
  await expect(dialog.frameLocator('iframe').getByRole('heading', { name: 'Surfaces over (z_fg, z_bg)' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  expect(errors).toEqual([]);
});

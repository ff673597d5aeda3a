import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './pageWatch';
import { parseExperimentConfig } from '../src/config/experimentConfig';

const points = async (page: Page, title: string) => Number(await page.getByTestId(`chart-${title}`).getAttribute('data-points'));
const stepCount = async (page: Page) => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''));

/** A run's latest validation IoU, read from the IoU chart's accessible summary. */
async function valIoU(page: Page, runLabel: string): Promise<number> {
  const summary = (await page.getByTestId('chart-Validation IoU').getAttribute('aria-label')) ?? '';
  const m = new RegExp(`${runLabel.replace(/[()−]/g, '.')} ([0-9.]+)`).exec(summary);
  return m ? Number(m[1]) : NaN;
}

async function ready(page: Page) {
  await expect(page.getByTestId('backend-badge')).toContainText('wasm');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
}

test('play, pause, step and reset drive the race; the charts follow; no console errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  expect(await points(page, 'Loss')).toBe(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(30);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Steps the engine finished before the pause reached it still arrive (within a post and a draw); then it stops.
  await expect
    .poll(async () => {
      const before = await stepCount(page);
      await page.waitForTimeout(300);
      return (await stepCount(page)) - before;
    })
    .toBe(0);
  const paused = await stepCount(page);
  for (const chart of ['Loss', 'Gradient magnitude', 'Validation IoU']) expect(await points(page, chart)).toBeGreaterThan(3);
  await page.waitForTimeout(800);
  expect(await stepCount(page)).toBe(paused);

  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepCount(page)).toBe(paused + 1);
  // Keyboard: → steps, Space plays and pauses, R resets.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stepCount(page)).toBe(paused + 2);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.keyboard.press('r');
  await expect.poll(() => stepCount(page)).toBe(0);
  expect(await points(page, 'Loss')).toBe(0);
  expect(errors).toEqual([]);
});

test('the header links to the source, and the archive it serves holds the project', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('link', { name: /^Source/ });
  await expect(link).toBeVisible();
  const download = page.waitForEvent('download');
  await link.click();
  const archive = gunzipSync(readFileSync((await (await download).path())!));
  // A tar file is a sequence of 512-byte headers (name, size in octal, path prefix), each followed by its data.
  const field = (at: number, length: number) =>
    archive
      .subarray(at, at + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  const names: string[] = [];
  for (let at = 0; at + 512 <= archive.length && archive[at] !== 0;) {
    const prefix = field(at + 345, 155);
    names.push(prefix ? `${prefix}/${field(at, 100)}` : field(at, 100));
    const size = parseInt(field(at + 124, 12), 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  for (const file of ['package.json', 'README.md', 'src/losses/registry.ts', 'app/App.tsx', 'e2e/race.spec.ts']) {
    expect(names).toContain(`seg-loss-playground/${file}`);
  }
  expect(names.some((n) => n.includes('node_modules/'))).toBe(false);
});

test('default settings: BCE passes validation IoU 0.5 within 300 steps', async ({ page }) => {
  await page.goto('/?sps=off');
  await ready(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => valIoU(page, 'Binary cross-entropy'), { timeout: 60_000 }).toBeGreaterThan(0.5);
  expect(await stepCount(page)).toBeLessThanOrEqual(300);
});

test('collapsed start: 1 − IoU stays flat while −log IoU rises', async ({ page }) => {
  await page.goto('/?prior=0.0003&clip=1&sps=off');
  await ready(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => valIoU(page, '−log IoU'), { timeout: 60_000 }).toBeGreaterThan(0.7);
  await expect.poll(() => stepCount(page)).toBeGreaterThanOrEqual(100);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(await valIoU(page, '1 − IoU .soft Jaccard.')).toBeLessThan(0.05);
  await expect(page.getByText(/Now −log IoU’s gradient is \d+× 1 − IoU’s/)).toBeVisible();
});

test('settings in the URL survive a reload, and edits are written back to the URL', async ({ page }) => {
  await page.goto('/?v=1&shape=squares&lr=0.05&l=bce&l=focal(gamma:3)&grad=logit');
  await ready(page);
  const check = async () => {
    await expect(page.getByRole('combobox', { name: 'shapes' })).toHaveValue('squares');
    await expect(page.getByLabel('learning rate')).toHaveValue('0.05');
    await expect(page.locator('.loss-item')).toHaveCount(2);
    await expect(page.getByLabel('Gradient measure')).toHaveValue('logit');
  };
  await check();
  await page.reload();
  await ready(page);
  await check();
  await page.getByLabel('learning rate').fill('0.2');
  await page.getByLabel('learning rate').press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('lr')).toBe('0.2');
  await page.reload();
  await expect(page.getByLabel('learning rate')).toHaveValue('0.2');
});

test('"Download config" gives a file the experiment CLI accepts, with the settings on screen', async ({ page }) => {
  await page.goto('/?v=1&prior=0.0003&clip=1&l=softJaccard&l=logJaccard(aggregation:perImage)');
  await ready(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download config' }).click()]);
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const config = JSON.parse(text);
  expect(parseExperimentConfig(config)).toEqual(config);
  expect(config.model.outputPrior).toBe(0.0003);
  expect(config.optimizer.clipNorm).toBe(1);
  expect(config.losses.map((l: { id: string }) => l.id)).toEqual(['softJaccard', 'logJaccard']);
  expect(config.losses[1].aggregation).toBe('perImage');
});

test('200 malformed query strings: never an uncaught error, every bad parameter listed', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  const bad: [string, string][] = [
    ['lr', 'fast'],
    ['shape', 'stars'],
    ['size', '9999'],
    ['classes', '7'],
    ['prior', '-1'],
    ['speed', 'x'],
    ['sps', 'fast'],
    ['clip', 'maybe'],
    ['view', 'nope'],
    ['width', '1e9'],
    ['opt', 'rmsprop'],
    ['grad', 'up'],
    ['l', 'iou'],
    ['zzz', '1'],
  ];
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 200; i++) {
    const chosen = [...new Set(Array.from({ length: 1 + rand(4) }, () => rand(bad.length)))].map((k) => bad[k]);
    const q = [...chosen.map(([k, v]) => `${k}=${encodeURIComponent(v)}`), 'seed=3'].join('&');
    await page.evaluate((query) => {
      history.pushState(null, '', `?${query}`);
      dispatchEvent(new PopStateEvent('popstate'));
    }, q);
    const listed = page.getByTestId('url-corrections');
    for (const [k] of chosen) await expect(listed).toContainText(k === 'l' ? 'l=iou' : k);
  }
  expect(errors).toEqual([]);
});

test('a crashed engine is restarted with the same settings, and the page says what happened', async ({ page }) => {
  const workers: import('@playwright/test').Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto('/?v=1&lr=0.05&l=bce&l=logJaccard');
  await ready(page);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepCount(page)).toBe(1);
  // An uncaught exception inside the worker, as a driver or out-of-memory failure would raise.
  await workers.at(-1)!.evaluate(() =>
    setTimeout(() => {
      throw new Error('simulated engine failure');
    }),
  );
  await expect(page.getByRole('alert').filter({ hasText: 'The training engine stopped' })).toContainText(
    'simulated engine failure). It was restarted with your settings',
  );
  await ready(page);
  await expect(page.getByLabel('learning rate')).toHaveValue('0.05');
  await expect(page.locator('.loss-item')).toHaveCount(2);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepCount(page)).toBe(1);
});

test('the IoU menu offers only measures that differ, and an old link’s iou=miouNoBg still opens', async ({ page }) => {
  await page.goto('/?iou=miouNoBg');
  await ready(page);
  const menu = page.getByLabel('IoU measure');
  await expect(menu.locator('option')).toHaveText(['foreground IoU', 'mIoU with background']);
  await expect(menu).toHaveValue('iou');
  await expect(page.getByTestId('url-corrections')).toHaveCount(0);
});

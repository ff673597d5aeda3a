import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import type { Page } from '@playwright/test';
import { launchChromium } from './launchChromium';

const USAGE = 'usage: npm run soak -- [--minutes 30] [--query "?speed=20"] [--backend wasm]';
/** After the first two minutes (warm-up, caches, JIT), page heap and worker tensors may grow by less than this. */
const GROWTH_TARGET = 0.1;
const WARM_UP_MINUTES = 2;

interface Sample {
  minute: number;
  steps: number;
  heapMB: number;
  tensors: number;
  engineMB: number;
  longTasks: number;
  longestMs: number;
}

async function sample(page: Page, minute: number): Promise<Sample> {
  const engine = page.getByTestId('engine-memory');
  if (!(await engine.isVisible())) await page.getByTestId('backend-badge').click();
  // A full collection first, so the heap figure is what the page keeps, not what it has yet to collect.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const tasks = await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    const all = w.__longTasks.splice(0);
    return { count: all.length, longest: Math.max(0, ...all) };
  });
  return {
    minute,
    steps: Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, '')),
    heapMB: usedSize / 2 ** 20,
    tensors: Number(await engine.getAttribute('data-tensors')),
    engineMB: Number(await engine.getAttribute('data-bytes')) / 2 ** 20,
    longTasks: tasks.count,
    longestMs: tasks.longest,
  };
}

const row = (s: Sample) =>
  `${String(s.minute).padStart(6)} ${String(s.steps).padStart(9)} ${s.heapMB.toFixed(1).padStart(9)} ${String(s.tensors).padStart(8)} ${s.engineMB.toFixed(2).padStart(10)} ${String(s.longTasks).padStart(11)} ${s.longestMs.toFixed(0).padStart(8)}`;

/**
 * Trains the default race at full speed in headless Chromium for a while and prints, every minute, the steps,
 * the page's JS heap (after a forced collection), the engine's tensors and bytes, and the main thread's tasks
 * over 50 ms in that minute. A leak in the page, the worker or the charts shows as growth after the warm-up.
 */
export async function main(args: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({ args, options: { minutes: { type: 'string', default: '30' }, query: { type: 'string', default: '?speed=20' }, backend: { type: 'string' } } }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const minutes = Number(options.minutes);
  if (!Number.isInteger(minutes) || minutes < 1) {
    console.error(`--minutes: expected a whole number of minutes, got ${options.minutes}\n${USAGE}`);
    return 2;
  }
  const query = new URLSearchParams(options.query);
  if (options.backend) query.set('backend', options.backend);

  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 4178, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await launchChromium();
  const samples: Sample[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    await page.goto(`http://127.0.0.1:4178/?${query}`);
    await page.getByRole('button', { name: 'Play' }).waitFor();
    await page.waitForFunction(() => !(document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled, null, { timeout: 180_000 });
    const backend = (await page.getByTestId('backend-badge').locator('strong').innerText()).trim().toLowerCase();
    await page.getByRole('button', { name: 'Play' }).click();
    console.log(`soak: the default race${query.toString() ? ` (?${query})` : ''} on ${backend}, ${minutes} min\n`);
    console.log(' minute     steps   heap MB  tensors  engine MB  tasks>50ms  longest');
    for (let m = 1; m <= minutes; m++) {
      await page.waitForTimeout(60_000);
      const s = await sample(page, m);
      samples.push(s);
      console.log(row(s));
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  const base = samples.find((s) => s.minute === Math.min(WARM_UP_MINUTES, samples.length))!;
  const last = samples.at(-1)!;
  const growth = (a: number, b: number) => (b - a) / Math.max(a, 1e-9);
  const heap = growth(base.heapMB, last.heapMB);
  const tensors = growth(base.tensors, last.tensors);
  const ok = heap < GROWTH_TARGET && tensors < GROWTH_TARGET;
  console.log(
    `\nfrom minute ${base.minute} to ${last.minute}: page heap ${(heap * 100).toFixed(1)} %, worker tensors ${(tensors * 100).toFixed(1)} % ` +
      `(target: each < ${GROWTH_TARGET * 100} %) ${ok ? 'PASS' : 'FAIL'}`,
  );
  return ok ? 0 : 1;
}

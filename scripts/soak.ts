import { readArgs } from './cliArgs';
import { openTrainingPage, stepsOf, type TrainingPage } from './trainingPage';

const USAGE = 'usage: npm run soak -- [--minutes 30] [--query "?sps=off"] [--backend wasm]';
/** After the first two minutes (warm-up, caches, JIT), page heap and worker tensors may grow by less than this. */
const GROWTH_TARGET = 0.1;
const WARM_UP_MINUTES = 2;
const WINDOW_MINUTES = 5;

interface Sample {
  minute: number;
  steps: number;
  heapMB: number;
  tensors: number;
  engineMB: number;
  longTasks: number;
  longestMs: number;
}

async function sample({ page, takeLongTasks }: TrainingPage, minute: number): Promise<Sample> {
  const engine = page.getByTestId('engine-memory');
  if (!(await engine.isVisible())) await page.getByTestId('backend-badge').click();
  // A full collection first, so the heap figure is what the page keeps, not what it has yet to collect.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const tasks = await takeLongTasks();
  return {
    minute,
    steps: await stepsOf(page),
    heapMB: usedSize / 2 ** 20,
    tensors: Number(await engine.getAttribute('data-tensors')),
    engineMB: Number(await engine.getAttribute('data-bytes')) / 2 ** 20,
    longTasks: tasks.length,
    longestMs: Math.max(0, ...tasks),
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
  const parsed = readArgs(args, {
    minutes: { type: 'string', default: '30' },
    query: { type: 'string', default: '?sps=off' },
    backend: { type: 'string' },
  });
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const options = parsed.values;
  const minutes = Number(options.minutes);
  if (!Number.isInteger(minutes) || minutes < 1) {
    console.error(`--minutes: expected a whole number of minutes, got ${options.minutes}\n${USAGE}`);
    return 2;
  }
  const query = new URLSearchParams(options.query);
  if (options.backend) query.set('backend', options.backend);

  const session = await openTrainingPage(query, 4178);
  const samples: Sample[] = [];
  try {
    const { page } = session;
    console.log(`soak: the default race${query.toString() ? ` (?${query})` : ''} on ${session.backend}, ${minutes} min\n`);
    console.log(' minute     steps   heap MB  tensors  engine MB  tasks>50ms  longest');
    for (let m = 1; m <= minutes; m++) {
      await page.waitForTimeout(60_000);
      const s = await sample(session, m);
      samples.push(s);
      console.log(row(s));
    }
  } finally {
    await session.close();
  }
  // The charts' decimated views fill up and halve, so the heap saws up and down by a few MB; peaks are compared,
  // over the five minutes after the warm-up and the last five, so that a bounded sawtooth passes and growth fails.
  const early = samples.filter((s) => s.minute >= WARM_UP_MINUTES && s.minute < WARM_UP_MINUTES + WINDOW_MINUTES);
  const late = samples.slice(-WINDOW_MINUTES);
  if (samples.length < WARM_UP_MINUTES + WINDOW_MINUTES) {
    console.log(
      `\n(no verdict: a run of at least ${WARM_UP_MINUTES + WINDOW_MINUTES} minutes compares the peaks after the warm-up and at the end)`,
    );
    return 0;
  }
  const peak = (xs: Sample[], key: 'heapMB' | 'tensors') => Math.max(...xs.map((x) => x[key]));
  const growth = (key: 'heapMB' | 'tensors') => (peak(late, key) - peak(early, key)) / peak(early, key);
  const heap = growth('heapMB');
  const tensors = growth('tensors');
  const ok = heap < GROWTH_TARGET && tensors < GROWTH_TARGET;
  console.log(
    `\npeak of minutes ${early[0].minute}–${early.at(-1)!.minute} → peak of minutes ${late[0].minute}–${late.at(-1)!.minute}: ` +
      `page heap ${peak(early, 'heapMB').toFixed(1)} → ${peak(late, 'heapMB').toFixed(1)} MB (${(heap * 100).toFixed(1)} %), ` +
      `worker tensors ${peak(early, 'tensors')} → ${peak(late, 'tensors')} (${(tensors * 100).toFixed(1)} %); target: each < ${GROWTH_TARGET * 100} % ${ok ? 'PASS' : 'FAIL'}`,
  );
  return ok ? 0 : 1;
}

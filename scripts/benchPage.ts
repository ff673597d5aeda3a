import { readArgs } from './cliArgs';
import { openTrainingPage, stepsOf } from './trainingPage';

const USAGE = 'usage: npm run bench:page -- [--seconds 10] [--runs 3] [--query "?sps=off"] [--landscape]';
/** A main-thread task over this long is a frame the page missed while training (the target: none). */
const TASK_TARGET_MS = 50;

/**
 * How the page's main thread fares while the race trains at full speed: the tasks over 50 ms in a few windows of
 * steady training, with the steps trained meanwhile. A figure to watch, not a test: on a busy machine the
 * worker and the page share the cores and tasks stretch.
 */
export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, {
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    query: { type: 'string', default: '?sps=off' },
    landscape: { type: 'boolean', default: false },
  });
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const options = parsed.values;
  const seconds = Number(options.seconds);
  const runs = Number(options.runs);
  if (!(seconds > 0) || !Number.isInteger(runs) || runs < 1) {
    console.error(`--seconds and --runs: expected positive numbers\n${USAGE}`);
    return 2;
  }
  if (options.landscape) return landscapeView(seconds);
  const session = await openTrainingPage(new URLSearchParams(options.query), 4177);
  const lines: string[] = [];
  let worst = 0;
  try {
    // Once training is under way and the charts have drawn.
    while ((await stepsOf(session.page)) < 5) await session.page.waitForTimeout(100);
    await session.takeLongTasks();
    for (let r = 1; r <= runs; r++) {
      const before = await stepsOf(session.page);
      await session.page.waitForTimeout(seconds * 1000);
      const tasks = await session.takeLongTasks();
      const steps = (await stepsOf(session.page)) - before;
      worst = Math.max(worst, ...tasks);
      lines.push(
        `window ${r}: ${steps} steps, ${tasks.length} main-thread tasks over ${TASK_TARGET_MS} ms${tasks.length ? ` (longest ${Math.max(...tasks).toFixed(0)} ms)` : ''}`,
      );
      console.error(lines.at(-1));
    }
  } finally {
    await session.close();
  }
  console.log(
    [
      `page while training (${options.query}, ${session.backend}, ${seconds} s windows):`,
      ...lines,
      `longest task ${worst.toFixed(0)} ms; target: no task over ${TASK_TARGET_MS} ms ${worst <= TASK_TARGET_MS ? 'MET' : 'MISSED'}`,
    ].join('\n'),
  );
  return 0;
}

/**
 * The Landscape view: the first page's race trained for `seconds`, paused, and its landscape computed through
 * 11 × 11, 21 × 21 and 41 × 41 while the main thread's long tasks are counted.
 */
async function landscapeView(seconds: number): Promise<number> {
  const session = await openTrainingPage(new URLSearchParams('view=landscape&sps=off'), 4177);
  let line: string;
  try {
    const { page } = session;
    await page.waitForTimeout(seconds * 1000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await session.takeLongTasks();
    const started = performance.now();
    await page
      .getByRole('status')
      .filter({ hasText: /^Weights of step \d+, 41 × 41 slice\./ })
      .waitFor({ timeout: 600_000 });
    const took = (performance.now() - started) / 1000;
    const tasks = await session.takeLongTasks();
    const worst = Math.max(0, ...tasks);
    line = `landscape view (${session.backend}, 3 runs): 11 × 11 → 21 × 21 → 41 × 41 in ${took.toFixed(1)} s; ${tasks.length} main-thread tasks over ${TASK_TARGET_MS} ms${tasks.length ? ` (longest ${worst.toFixed(0)} ms)` : ''}; target: none ${worst <= TASK_TARGET_MS ? 'MET' : 'MISSED'}`;
  } finally {
    await session.close();
  }
  console.log(line);
  return 0;
}

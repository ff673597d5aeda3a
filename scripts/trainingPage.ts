import { build, preview } from 'vite';
import type { Page } from '@playwright/test';
import { launchChromium } from './launchChromium';

export interface TrainingPage {
  page: Page;
  /** The backend the page chose (or was given), lower case. */
  backend: string;
  /** The main thread's tasks over 50 ms since the last call, in ms, as a PerformanceObserver saw them. */
  takeLongTasks(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The production build served by `vite preview` and opened in headless Chromium at 1280×800 with `query`, the
 * engine ready and the race playing: what the page benchmarks and the soak measure.
 */
export async function openTrainingPage(query: URLSearchParams, port: number): Promise<TrainingPage> {
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await launchChromium();
  const close = async () => {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    await page.getByRole('button', { name: 'Play' }).waitFor();
    await page.waitForFunction(() => !(document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled, null, {
      timeout: 180_000,
    });
    const backend = (await page.getByTestId('backend-badge').locator('strong').innerText()).trim().toLowerCase();
    await page.getByRole('button', { name: 'Play' }).click();
    const takeLongTasks = () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));
    return { page, backend, takeLongTasks, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The step counter's value. */
export async function stepsOf(page: Page): Promise<number> {
  return Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''));
}

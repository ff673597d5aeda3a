import { existsSync } from 'node:fs';
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';
import { readArgs } from './cliArgs';
import { analyticFrame, compileLosses, lossCurves, readouts } from '../src/analytic/surface';
import { resolveLoss } from '../src/losses/registry';
import benchLosses from './bench/benchLosses.json';

const LOSSES = benchLosses.surface.map((l) => resolveLoss(l));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Compute time of one full analytic-view update (6 losses, 128×128 surfaces, curves, arrows) in Node. */
function computeTimes(runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    analyticFrame({ pixels: 100, foreground: 0.1, pFg: 0.001 + (i % 50) / 60, pBg: 0.05, smooth: 0 }, LOSSES);
    times.push(performance.now() - t);
  }
  return times.slice(3);
}

/** Input-to-paint in Chromium: from a slider's input event to the frame after React has committed, per slider. */
async function inputToPaint(sliders: { name: string; keys: [string, string] }[], samples: number): Promise<Map<string, number[]>> {
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 4181, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const query = LOSSES.map((l) => `sl=${l.id}`).join('&');
    await page.goto(`http://127.0.0.1:4181/?view=surface&${query}`);
    // Steady state: the engine worker's start (wasm compile, backend self-tests) would otherwise share this
    // machine's two cores with the first slider moves.
    await page
      .getByTestId('backend-badge')
      .filter({ hasText: /webgpu|webgl|wasm|cpu/ })
      .waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { paints: number[] };
      w.paints = [];
      document.addEventListener(
        'input',
        (e) => {
          const t0 = e.timeStamp;
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => w.paints.push(performance.now() - t0);
            ch.port2.postMessage(null);
          });
        },
        true,
      );
    });
    const results = new Map<string, number[]>();
    for (const { name, keys } of sliders) {
      await page.getByRole('slider', { name, exact: true }).focus();
      await page.evaluate(() => ((window as unknown as { paints: number[] }).paints = []));
      for (let i = 0; i < samples; i++) {
        await page.keyboard.press(i % 8 < 4 ? keys[0] : keys[1]);
        await page.waitForTimeout(60);
      }
      results.set(name, await page.evaluate(() => (window as unknown as { paints: number[] }).paints.slice(3)));
    }
    return results;
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

/** What a slider move recomputes: p_fg → the readouts; p_bg → the readouts and the curves. */
function sliderTimes(runs: number): { fg: number[]; bg: number[] } {
  const fns = compileLosses(LOSSES, 0);
  const fg: number[] = [];
  const bg: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = { pixels: 100, foreground: 0.1, pFg: 0.001 + (i % 50) / 60, pBg: 0.001 + (i % 40) / 50, smooth: 0 };
    let t = performance.now();
    readouts(s, fns);
    fg.push(performance.now() - t);
    t = performance.now();
    readouts(s, fns);
    lossCurves(s, fns);
    bg.push(performance.now() - t);
  }
  return { fg: fg.slice(3), bg: bg.slice(3) };
}

export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, { 'node-only': { type: 'boolean', default: false } });
  if (typeof parsed === 'string') {
    console.error(`${parsed}\nusage: npm run bench:surface -- [--node-only]`);
    return 2;
  }
  const compute = computeTimes(60);
  console.log(
    `analytic full update, 6 losses, 128×128 surfaces (Node): median ${median(compute).toFixed(2)} ms, max ${Math.max(...compute).toFixed(2)} ms (target ≤ 8 ms)`,
  );
  const slider = sliderTimes(200);
  console.log(
    `slider moves (Node): p_fg median ${median(slider.fg).toFixed(3)} ms, p_bg median ${median(slider.bg).toFixed(3)} ms (surfaces are not recomputed)`,
  );
  if (parsed.values['node-only']) return 0;
  // Arrow keys nudge p_fg (readouts and markers); Page Up/Down moves the foreground fraction far enough to change
  // the toy's pixel counts, so every surface, field and curve is recomputed and redrawn.
  const sliders = [
    { name: 'confidence on foreground pixels, p_fg', keys: ['ArrowRight', 'ArrowLeft'], what: 'p_fg (readouts, markers)' },
    { name: 'foreground fraction', keys: ['PageUp', 'PageDown'], what: 'foreground fraction (every surface and curve)' },
  ] as const;
  const paints = await inputToPaint(
    sliders.map(({ name, keys }) => ({ name, keys: [...keys] })),
    60,
  );
  for (const { name, what } of sliders) {
    const xs = [...(paints.get(name) ?? [])].sort((a, b) => a - b);
    console.log(
      `slider input to paint (Chromium), ${what}: median ${median(xs).toFixed(1)} ms, p90 ${xs[Math.floor(xs.length * 0.9)].toFixed(1)} ms over ${xs.length} inputs (target ≤ 16 ms median)`,
    );
  }
  return 0;
}

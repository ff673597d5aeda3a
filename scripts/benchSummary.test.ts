import { describe, expect, it } from 'vitest';
import type { BenchCase, BenchRow } from './bench/benchCases';
import type { LandscapeRow } from './bench/landscapeCases';
import { FUSED_TARGETS, GPU_SPEEDUPS, summary, type BenchOutcome } from './bench/benchSummary';

type Figures = Partial<Omit<BenchRow, 'where' | 'backend' | 'case'>>;

function row(where: BenchRow['where'], backend: string, c: BenchCase, f: Figures): BenchRow {
  return {
    where,
    backend,
    case: c,
    stepsPerSecond: null,
    firstStepMs: null,
    steps: 0,
    dispatchesPerStep: null,
    kernelMsPerStep: null,
    uploadsPerStep: null,
    ...f,
  };
}

const wasm = (c: BenchCase, stepsPerSecond: number, dispatchesPerStep: number) =>
  row('node', 'wasm', c, { stepsPerSecond, dispatchesPerStep });
const gpu = (c: BenchCase, f: Figures) => row('node', 'webgpu', c, { adapter: 'SwiftShader (software)', softwareAdapter: true, ...f });
const landscape = (backend: string, dispatchesPerSet: number | null): LandscapeRow => ({
  backend,
  case: 'landscape-9',
  seconds: 1,
  weightSetsPerSecond: 1,
  dispatchesPerSet,
});

/** The one summary line that starts with `head` (and fails the test when there is not exactly one). */
function line(lines: string[], head: string): string {
  const found = lines.filter((l) => l.startsWith(head));
  expect(found, `one line starting "${head}" in:\n${lines.join('\n')}`).toHaveLength(1);
  return found[0];
}

const SOFTWARE = 'software adapter: dispatches counted over one step, not timed';

/** Node wasm and a software WebGPU adapter, as this machine measures them; the browser not run. */
const SWIFTSHADER: BenchOutcome = {
  rows: [
    wasm('engine-k1', 100, 50),
    wasm('engine-k4', 40, 120),
    wasm('heavy-k1', 4, 50),
    gpu('engine-k1', { stepsPerSecond: 2, dispatchesPerStep: 11 }),
    gpu('engine-k4', { stepsPerSecond: 1, dispatchesPerStep: 12 }),
    gpu('heavy-k1', { skipped: 'minutes a step on a software adapter' }),
    gpu('heavy-k4', { skipped: 'minutes a step on a software adapter' }),
    gpu('unet-k1', { dispatchesPerStep: 17, untimed: SOFTWARE }),
    gpu('unet-k4', { dispatchesPerStep: 15, untimed: SOFTWARE }),
    gpu('classes-k4', { error: 'no softmax tail' }),
    gpu('gpu-setting', { dispatchesPerStep: 19, untimed: SOFTWARE }),
  ],
  landscapes: [landscape('wasm', null), landscape('webgpu', 1.5)],
  missing: { browser: 'not asked for: --node-only' },
};

describe('the bench summary', () => {
  it('puts each wasm figure against its target, the ratio from the same run', () => {
    const lines = summary(SWIFTSHADER);
    expect(line(lines, 'node wasm: engine-k4 dispatches')).toMatch(/target ≤ 150\) 120: MET$/);
    expect(line(lines, 'node wasm: engine-k4 step time')).toMatch(/target ≤ 2\.5\) 2\.50×: MET$/);
    const slow = summary({ ...SWIFTSHADER, rows: [wasm('engine-k1', 100, 50), wasm('engine-k4', 30, 346)] });
    expect(line(slow, 'node wasm: engine-k4 dispatches')).toMatch(/346: NOT MET$/);
    expect(line(slow, 'node wasm: engine-k4 step time')).toMatch(/3\.33×: NOT MET$/);
  });

  it('gives every fused target a line, with the counts, the verdict, and why a count is missing', () => {
    const lines = summary(SWIFTSHADER);
    for (const t of FUSED_TARGETS) line(lines, `node webgpu: fused dispatches per step, ${t.name} (target ≤ ${t.most}, any K)`);
    const shallow = line(lines, 'node webgpu: fused dispatches per step, the shallow net');
    expect(shallow).toContain(
      'engine-k1 11, engine-k4 12, heavy-k1 not measured (webgpu heavy-k1 skipped: minutes a step on a software adapter)',
    );
    expect(shallow).toMatch(/: MET for the cases counted$/);
    expect(line(lines, 'node webgpu: fused dispatches per step, the U-Net')).toMatch(/unet-k1 17, unet-k4 15: NOT MET$/);
    const classes = line(lines, 'node webgpu: fused dispatches per step, several classes');
    expect(classes).toContain('classes-k4 not measured (webgpu classes-k4 failed: no softmax tail)');
    expect(classes).toMatch(/: NOT MEASURED$/);
    expect(line(lines, 'node webgpu: fused dispatches per step, the GPU setting')).toMatch(/target ≤ 20, any K\) gpu-setting 19: MET$/);
    expect(line(lines, "node webgpu: the landscape's dispatches per weight set")).toMatch(/target ≤ 2\) landscape-9 1\.50: MET$/);
  });

  it('prints the GPU speed ratios, says a software GPU makes them meaningless, and why one is missing', () => {
    const lines = summary(SWIFTSHADER);
    expect(line(lines, 'node webgpu: engine-k1 speed')).toMatch(/≥ 10×\) 0\.02×: NOT MET \(on a software GPU this ratio means nothing\)$/);
    expect(line(lines, 'node webgpu: heavy-k1 speed')).toMatch(
      /not measured \(webgpu heavy-k1 skipped: minutes a step on a software adapter\)$/,
    );
    const real = summary({
      rows: [
        wasm('engine-k1', 100, 50),
        wasm('heavy-k1', 2, 50),
        row('node', 'webgpu', 'engine-k1', { stepsPerSecond: 1500, softwareAdapter: false }),
        row('node', 'webgpu', 'heavy-k1', { stepsPerSecond: 50, softwareAdapter: false }),
      ],
      landscapes: [],
      missing: {},
    });
    expect(line(real, 'node webgpu: engine-k1 speed')).toMatch(/15\.00×: MET$/);
    expect(line(real, 'node webgpu: heavy-k1 speed')).toMatch(/25\.00×: NOT MET$/);
    expect(real.join('\n')).not.toContain('means nothing');
  });

  it('says plainly why the browser rows or a backend are missing instead of leaving lines out', () => {
    const lines = summary({
      rows: [],
      landscapes: [],
      missing: { browser: 'Chromium did not start: no executable', 'node webgpu': 'no adapter' },
    });
    expect(line(lines, 'browser:')).toBe('browser: every row skipped (Chromium did not start: no executable)');
    expect(lines.filter((l) => l.startsWith('browser'))).toHaveLength(1);
    const gpuLines = lines.filter((l) => l.startsWith('node webgpu:'));
    // Each fused target, each speed ratio, and the landscape's.
    expect(gpuLines).toHaveLength(FUSED_TARGETS.length + GPU_SPEEDUPS.length + 1);
    for (const l of gpuLines) expect(l).toMatch(/not measured \(no adapter\)$/);
    expect(line(lines, 'node wasm: engine-k4 dispatches')).toContain('not measured (wasm engine-k4: not measured)');
  });

  it('takes a backend the browser page skipped from its reason', () => {
    const lines = summary({
      rows: [row('browser', 'wasm', 'engine-k1', { stepsPerSecond: 90 })],
      landscapes: [],
      missing: { 'browser webgpu': 'no adapter' },
    });
    expect(line(lines, 'browser webgpu: fused dispatches per step, the U-Net')).toMatch(/any K\) not measured \(no adapter\)$/);
    expect(line(lines, 'browser wasm: engine-k4 step time')).toContain('wasm engine-k4: not measured');
  });
});

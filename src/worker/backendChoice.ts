// The automatic backend choice by measurement: which backend is fastest depends on the settings (WebGPU loses to
// wasm at 32 px, batch 8, where every step is a few hundred tiny dispatches, and wins by far at 64 px, batch 32),
// so the engine times a few real training steps of the race's settings on every backend that works, and trains on
// the fastest. Timings are kept per setting class while the engine lives.
import { tf } from '../tf';
import { tryBackend } from './selectBackend';
import type { BackendLoaders, BackendName, BackendReport, CandidateReport } from '../backend/types';
import { parseExperimentConfig, type ExperimentConfig } from '../config/experimentConfig';
import { Race } from '../train/race';

/** The backends worth timing against each other (cpu is never the fastest where another one works). */
export const MEASURED: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];
/** Timing per backend, after its first (warm-up) step: about a second in all for three backends. */
const BUDGET_MS = 250;

/** The settings that decide which backend is fastest; a race of another class is timed again. */
export function settingClass(c: ExperimentConfig): string {
  return JSON.stringify([c.data.size, c.data.classes, c.batchSize, c.model.width, c.model.depth, c.losses.length]);
}

/** The fastest backend (the earlier in order of preference on a tie) and the sentence that says why. */
export function fastest(speeds: readonly { name: BackendName; stepsPerSecond: number }[]): { name: BackendName; text: string } {
  const best = speeds.reduce((a, b) => (b.stepsPerSecond > a.stepsPerSecond ? b : a));
  const figure = (v: number) => (v >= 10 ? v.toFixed(0) : v.toPrecision(2));
  const text = `${speeds.map((s, i) => `${s.name} ${figure(s.stepsPerSecond)}${i === 0 ? ' steps/s' : ''}`).join(', ')}: using ${best.name}`;
  return { name: best.name, text };
}

/**
 * Lockstep steps per second of these settings on the active backend: a race of the same net, losses and batch
 * (on a training set of one batch, or the smallest allowed), one warm-up step (it compiles the kernels), then steps for about `budgetMs`.
 */
export async function timeTraining(config: ExperimentConfig, budgetMs = BUDGET_MS): Promise<number> {
  const race = new Race(
    parseExperimentConfig({ ...config, evalEvery: 100_000, data: { ...config.data, train: Math.max(8, config.batchSize), val: 4 } }),
  );
  try {
    await race.advance(1);
    const started = performance.now();
    let steps = 0;
    while (steps === 0 || performance.now() - started < budgetMs) {
      await race.advance(2);
      steps += 2;
    }
    return (steps * 1000) / (performance.now() - started);
  } finally {
    race.dispose();
  }
}

/** Makes `name` the active backend (loading its module first), or says it could not. */
export async function switchTo(name: BackendName, loaders: BackendLoaders) {
  await loaders[name]?.();
  if (!(await tf.setBackend(name))) throw new Error(`could not switch to the ${name} backend`);
  await tf.ready();
}

/**
 * Settles the backend for a race: on the first call it verifies the backends the selection did not need to try
 * (self-test included), then it times every one that works on the race's settings, switches to the fastest and
 * returns the report that says so. A requested backend, or a single working one, is kept as it is.
 */
export class BackendChooser {
  /** The backends that work here (the selection's choice first) and what trying the others found. */
  private found: { usable: BackendName[]; tried: Map<BackendName, CandidateReport> } | null = null;
  private readonly timed = new Map<string, { name: BackendName; stepsPerSecond: number }[]>();

  constructor(
    private readonly loaders: BackendLoaders,
    /** Times one backend (the active one) on the settings; the real engine trains, a test may stand in. */
    private readonly time: (config: ExperimentConfig) => Promise<number> = (c) => timeTraining(c),
    private readonly worthTiming: readonly BackendName[] = MEASURED,
  ) {}

  /** `onTiming` is called when it starts timing (a set-up shows it). */
  async settle(config: ExperimentConfig, report: BackendReport, onTiming: () => void = () => {}): Promise<BackendReport> {
    if (report.requested) return report;
    const { usable, tried } = (this.found ??= await this.verifyOthers(report));
    const candidates = report.candidates.map((c) => tried.get(c.name) ?? c);
    if (usable.length < 2) return { ...report, candidates };
    const key = settingClass(config);
    let speeds = this.timed.get(key);
    if (!speeds) {
      onTiming();
      speeds = [];
      for (const name of usable) {
        await switchTo(name, this.loaders);
        speeds.push({ name, stepsPerSecond: await this.time(config) });
      }
      this.timed.set(key, speeds);
    }
    const best = fastest(speeds);
    await switchTo(best.name, this.loaders);
    const speedOf = new Map(speeds.map((s) => [s.name, s.stepsPerSecond]));
    const bestSpeed = speedOf.get(best.name)!;
    const figure = (v: number) => v.toFixed(1);
    return {
      ...report,
      backend: best.name,
      adapter: candidates.find((c) => c.name === best.name)?.adapter,
      candidates: candidates.map((c): CandidateReport => {
        if (!speedOf.has(c.name)) return c;
        if (c.name === best.name) return { ...c, status: 'chosen', reason: undefined };
        return {
          ...c,
          status: 'slower',
          reason: `${figure(speedOf.get(c.name)!)} steps/s on these settings, against ${best.name}’s ${figure(bestSpeed)}`,
        };
      }),
      measured: { stepsPerSecond: Object.fromEntries(speedOf), text: best.text },
    };
  }

  /** Tries every backend worth timing that the selection did not need (verified as the selection does). */
  private async verifyOthers(report: BackendReport) {
    const usable: BackendName[] = [report.backend];
    const tried = new Map<BackendName, CandidateReport>();
    for (const c of report.candidates) {
      if (c.status !== 'not tried' || !this.worthTiming.includes(c.name)) continue;
      const { name, status, reason, adapter } = await tryBackend(c.name, this.loaders, false);
      if (status === 'chosen') {
        usable.push(name);
        tried.set(name, { name, status: 'chosen', adapter });
      } else tried.set(name, { name, status, reason, adapter });
    }
    if (tried.size) await switchTo(report.backend, this.loaders);
    return { usable, tried };
  }
}

// The bench's summary: each figure the issues set a target for, with its target and MET / NOT MET, and where a
// figure is missing, why (the case skipped, failed, untimed, or its backend or the browser not there).
import type { BenchCase, BenchRow } from './benchCases';
import type { LandscapeRow } from './landscapeCases';

export interface BenchOutcome {
  rows: BenchRow[];
  landscapes: LandscapeRow[];
  /** Why the rows of a place ('browser') or of a backend in it ('node webgpu', 'browser webgl') are missing. */
  missing: Record<string, string>;
}

const WHERE = ['node', 'browser'] as const;
type Where = (typeof WHERE)[number];

export const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');

/** The wasm targets: a 4-loss step in closed form. */
export const WASM_K4_DISPATCHES = 150;
export const WASM_K4_RATIO = 2.5;
/** The fused WebGPU step's dispatches per lockstep step, whatever K. */
export const FUSED_TARGETS: readonly { name: string; cases: readonly BenchCase[]; most: number }[] = [
  { name: 'the shallow net', cases: ['engine-k1', 'engine-k4', 'heavy-k1', 'heavy-k4'], most: 12 },
  { name: 'the U-Net', cases: ['unet-k1', 'unet-k4'], most: 16 },
  { name: 'several classes', cases: ['classes-k4'], most: 16 },
  { name: 'the GPU setting with Lovász', cases: ['gpu-setting'], most: 20 },
];
export const LANDSCAPE_DISPATCHES_PER_SET = 2;
/** WebGPU's speed over wasm on a GPU: at 32/8/8 (engine-k1) and at 64/32/16 (heavy-k1). */
export const GPU_SPEEDUPS: readonly [BenchCase, number][] = [
  ['engine-k1', 10],
  ['heavy-k1', 30],
];

class Lookup {
  constructor(private readonly o: BenchOutcome) {}

  row(where: Where, backend: string, c: BenchCase): BenchRow | undefined {
    return this.o.rows.find((r) => r.where === where && r.backend === backend && r.case === c);
  }

  /** Why a backend has no rows at all in a place. */
  place(where: Where, backend: string): string {
    return this.o.missing[`${where} ${backend}`] ?? this.o.missing[where] ?? 'not measured';
  }

  /** Why a row has no figure: its own reason first, else its backend's or its place's. */
  why(where: Where, backend: string, c: BenchCase, figure: 'dispatches' | 'speed'): string {
    const r = this.row(where, backend, c);
    if (!r) return `${backend} ${c}: ${this.place(where, backend)}`;
    if (r.skipped) return `${backend} ${c} skipped: ${r.skipped}`;
    if (r.error) return `${backend} ${c} failed: ${r.error}`;
    if (figure === 'speed' && r.untimed) return `${backend} ${c} not timed: ${r.untimed}`;
    return `${backend} ${c}: no ${figure === 'speed' ? 'timing' : 'dispatch count'}`;
  }

  dispatches(where: Where, backend: string, c: BenchCase): number | null {
    return this.row(where, backend, c)?.dispatchesPerStep ?? null;
  }

  speed(where: Where, backend: string, c: BenchCase): number | null {
    return this.row(where, backend, c)?.stepsPerSecond || null;
  }

  /** Why a backend has no rows at all in a place, or null when it has some. */
  none(where: Where, backend: string): string | null {
    return this.o.rows.some((r) => r.where === where && r.backend === backend) ? null : this.place(where, backend);
  }

  software(where: Where): boolean {
    return this.o.rows.some((r) => r.where === where && r.backend === 'webgpu' && r.softwareAdapter);
  }
}

function wasmLines(q: Lookup, where: Where): string[] {
  const d = q.dispatches(where, 'wasm', 'engine-k4');
  const k4 = d === null ? `not measured (${q.why(where, 'wasm', 'engine-k4', 'dispatches')})` : `${d}: ${verdict(d <= WASM_K4_DISPATCHES)}`;
  const [s1, s4] = [q.speed(where, 'wasm', 'engine-k1'), q.speed(where, 'wasm', 'engine-k4')];
  const missing = s1 === null ? q.why(where, 'wasm', 'engine-k1', 'speed') : q.why(where, 'wasm', 'engine-k4', 'speed');
  const ratio = s1 && s4 ? `${(s1 / s4).toFixed(2)}×: ${verdict(s1 / s4 <= WASM_K4_RATIO)}` : `not measured (${missing})`;
  return [
    `${where} wasm: engine-k4 dispatches per step (target ≤ ${WASM_K4_DISPATCHES}) ${k4}`,
    `${where} wasm: engine-k4 step time / engine-k1 step time, same run (target ≤ ${WASM_K4_RATIO}) ${ratio}`,
  ];
}

function fusedLines(q: Lookup, where: Where): string[] {
  const none = q.none(where, 'webgpu');
  return FUSED_TARGETS.map(({ name, cases, most }) => {
    const head = `${where} webgpu: fused dispatches per step, ${name} (target ≤ ${most}, any K)`;
    if (none) return `${head} not measured (${none})`;
    const counted = cases.flatMap((c) => {
      const d = q.dispatches(where, 'webgpu', c);
      return d === null ? [] : [d];
    });
    const parts = cases.map((c) => {
      const d = q.dispatches(where, 'webgpu', c);
      return d === null ? `${c} not measured (${q.why(where, 'webgpu', c, 'dispatches')})` : `${c} ${d}`;
    });
    const result = counted.length === 0 ? 'NOT MEASURED' : verdict(counted.every((d) => d <= most));
    const partly = counted.length > 0 && counted.length < cases.length ? ' for the cases counted' : '';
    return `${head} ${parts.join(', ')}: ${result}${partly}`;
  });
}

function speedLines(q: Lookup, where: Where): string[] {
  const caveat = q.software(where) ? ' (on a software GPU this ratio means nothing)' : '';
  const none = q.none(where, 'webgpu');
  return GPU_SPEEDUPS.map(([c, want]) => {
    const [gpu, cpu] = [q.speed(where, 'webgpu', c), q.speed(where, 'wasm', c)];
    const head = `${where} webgpu: ${c} speed / wasm's (GPU target ≥ ${want}×)`;
    if (none) return `${head} not measured (${none})`;
    if (!gpu || !cpu) return `${head} not measured (${!gpu ? q.why(where, 'webgpu', c, 'speed') : q.why(where, 'wasm', c, 'speed')})`;
    return `${head} ${(gpu / cpu).toFixed(2)}×: ${verdict(gpu / cpu >= want)}${caveat}`;
  });
}

/** The landscape's dispatches per weight set on webgpu (Node only: the landscape cases run there). */
function landscapeLine(o: BenchOutcome): string[] {
  const head = `node webgpu: the landscape's dispatches per weight set (target ≤ ${LANDSCAPE_DISPATCHES_PER_SET})`;
  const rows = o.landscapes.filter((r) => r.backend === 'webgpu');
  if (rows.length === 0) return [`${head} not measured (${o.missing['node webgpu'] ?? 'no webgpu landscape row'})`];
  return rows.map((r) =>
    r.dispatchesPerSet === null
      ? `${head} ${r.case}: not counted`
      : `${head} ${r.case} ${r.dispatchesPerSet.toFixed(2)}: ${verdict(r.dispatchesPerSet <= LANDSCAPE_DISPATCHES_PER_SET)}`,
  );
}

/** The engine against the tfjs-layers baseline, for each backend that ran both. */
function layersLines(o: BenchOutcome, q: Lookup): string[] {
  const seen = [...new Set(o.rows.map((r) => `${r.where} ${r.backend}`))];
  return seen.flatMap((key) => {
    const [where, backend] = key.split(' ') as [Where, string];
    const [k1, base] = [q.speed(where, backend, 'engine-k1'), q.speed(where, backend, 'layers-baseline')];
    return k1 && base ? [`${key}: engine-k1 ${(k1 / base).toFixed(2)}× the tfjs-layers baseline's speed`] : [];
  });
}

/** Every target line, in the order, for each place; then what is missing as a whole. */
export function summary(o: BenchOutcome): string[] {
  const q = new Lookup(o);
  const lines: string[] = [];
  for (const where of WHERE) {
    if (o.missing[where]) {
      lines.push(`${where}: every row skipped (${o.missing[where]})`);
      continue;
    }
    lines.push(...wasmLines(q, where), ...fusedLines(q, where), ...speedLines(q, where));
  }
  lines.push(...landscapeLine(o), ...layersLines(o, q));
  return lines;
}

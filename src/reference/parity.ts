import { tf, type Tensor } from '../tf';
import { lossFromInput, validateLossInputs, type Task } from '../losses';
import { confusionMatrices, readConfusion } from '../metrics';
import { flatten, toNumber, type BinaryCase, type MulticlassCase, type VectorFile } from './vectorFile';
import { lossForKey, metricForKey } from './vectorKeys';

export const RELATIVE_TOLERANCE = 1e-4;
export const ABSOLUTE_TOLERANCE = 1e-6;

export interface ParityResult {
  caseName: string;
  key: string;
  kind: 'loss' | 'metric';
  ok: boolean;
  /** Why it failed: the worst difference, or the error. */
  detail?: string;
}

export interface ParityReport {
  backend: string;
  results: ParityResult[];
  passed: number;
  failed: number;
}

export interface ParityOptions {
  /** Which cases to run: both kinds by default. */
  cases?: 'binary' | 'multiclass' | 'all';
  onProgress?: (done: number, total: number) => void;
}

function close(got: number, want: number): boolean {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(want));
}

/** Compares element by element; returns a description of the worst miss, or undefined when all are close. */
function compare(what: string, got: ArrayLike<number>, want: number[]): string | undefined {
  if (got.length !== want.length) return `${what}: ${got.length} numbers, the reference has ${want.length}`;
  let worst: string | undefined;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    if (close(got[i], want[i])) continue;
    const diff = Math.abs(got[i] - want[i]);
    const excess = Number.isFinite(diff) ? diff / Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(want[i])) : Infinity;
    if (worst === undefined || excess > worstExcess) {
      worstExcess = excess;
      const at = want.length > 1 ? `[${i}]` : '';
      worst = `${what}${at} got ${got[i]} want ${want[i]} (|diff| ${diff.toExponential(2)})`;
    }
  }
  return worst;
}

interface PreparedCase {
  name: string;
  task: Task;
  ignoreIndex: number | null;
  logits: Tensor;
  targets: Tensor;
  /** Turns a gradient in the project's NHWC layout into the reference's flat order. */
  toReferenceOrder: (grad: Tensor) => Tensor;
  losses: BinaryCase['losses'];
  metrics: BinaryCase['metrics'];
}

function prepareBinary(c: BinaryCase): PreparedCase {
  const [b, h, w] = c.shape;
  return {
    name: c.name,
    task: 'binary',
    ignoreIndex: null,
    logits: tf.tensor4d(c.logits.flat(), [b, h, w, 1]),
    targets: tf.tensor4d(c.target.flat(), [b, h, w, 1]),
    toReferenceOrder: (g) => tf.reshape(g, [-1]),
    losses: c.losses,
    metrics: c.metrics,
  };
}

function prepareMulticlass(c: MulticlassCase): PreparedCase {
  const [b, k, h, w] = c.shape;
  const logits = tf.tidy(() => tf.reshape(tf.transpose(tf.tensor3d(c.logits.flat(2), [b, k, h * w]), [0, 2, 1]), [b, h, w, k]));
  return {
    name: c.name,
    task: 'multiclass',
    ignoreIndex: c.ignore_index,
    logits,
    targets: tf.tensor3d(c.labels.flat(), [b, h, w], 'int32'),
    toReferenceOrder: (g) => tf.reshape(tf.transpose(tf.reshape(g, [b, h * w, k]), [0, 2, 1]), [-1]),
    losses: c.losses,
    metrics: c.metrics,
  };
}

async function checkLoss(pc: PreparedCase, key: string): Promise<ParityResult> {
  const base = { caseName: pc.name, key, kind: 'loss' as const };
  const input = lossForKey(key, pc.task, pc.ignoreIndex);
  if (!input) return { ...base, ok: false, detail: 'unknown key' };
  const entry = pc.losses[key];
  try {
    const fn = lossFromInput(input, key);
    const { value, grad } = tf.valueAndGrad((z: Tensor) => fn(z, pc.targets))(pc.logits);
    const ordered = pc.toReferenceOrder(grad);
    const [v, g] = await Promise.all([value.data(), ordered.data()]);
    tf.dispose([value, grad, ordered]);
    const miss =
      compare('value', v, [toNumber(entry.value)]) ?? (entry.grad === undefined ? undefined : compare('grad', g, flatten(entry.grad)));
    return { ...base, ok: miss === undefined, detail: miss };
  } catch (e) {
    return { ...base, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

async function checkMetric(pc: PreparedCase, key: string, conf: Awaited<ReturnType<typeof readConfusion>>): Promise<ParityResult> {
  const base = { caseName: pc.name, key, kind: 'metric' as const };
  const fn = metricForKey(key, pc.task);
  if (!fn) return { ...base, ok: false, detail: 'unknown key' };
  const got = fn(conf);
  const miss = compare('value', typeof got === 'number' ? [got] : got, flatten(pc.metrics[key]));
  return { ...base, ok: miss === undefined, detail: miss };
}

/**
 * Evaluates every loss key (value, and gradient through tf.valueAndGrad) and every metric key of a vectors file
 * on the current backend. A key the project does not know counts as failed. Reads back with `await data()`
 * only, so it runs on WebGPU too.
 */
export async function runParity(doc: VectorFile, options: ParityOptions = {}): Promise<ParityReport> {
  const which = options.cases ?? 'all';
  const cases: PreparedCase[] = [
    ...(which !== 'multiclass' ? (doc.binary_cases ?? []).map(prepareBinary) : []),
    ...(which !== 'binary' ? (doc.multiclass_cases ?? []).map(prepareMulticlass) : []),
  ];
  const total = cases.reduce((n, c) => n + Object.keys(c.losses).length + Object.keys(c.metrics).length, 0);
  const results: ParityResult[] = [];
  try {
    for (const pc of cases) {
      const invalid = await validateLossInputs(pc.logits, pc.targets, pc.ignoreIndex ?? 255).then(
        () => undefined,
        (e: Error) => e.message,
      );
      if (invalid) {
        for (const [key, kind] of [
          ...Object.keys(pc.losses).map((k) => [k, 'loss'] as const),
          ...Object.keys(pc.metrics).map((k) => [k, 'metric'] as const),
        ]) {
          results.push({ caseName: pc.name, key, kind, ok: false, detail: `bad case input: ${invalid}` });
        }
        options.onProgress?.(results.length, total);
        continue;
      }
      for (const key of Object.keys(pc.losses)) {
        results.push(await checkLoss(pc, key));
        options.onProgress?.(results.length, total);
      }
      const matrices = confusionMatrices(pc.logits, pc.targets, pc.ignoreIndex ?? 255);
      const conf = await readConfusion(matrices);
      matrices.dispose();
      for (const key of Object.keys(pc.metrics)) {
        results.push(await checkMetric(pc, key, conf));
        options.onProgress?.(results.length, total);
      }
    }
  } finally {
    tf.dispose(cases.flatMap((c) => [c.logits, c.targets]));
  }
  const passed = results.filter((r) => r.ok).length;
  return { backend: tf.getBackend(), results, passed, failed: results.length - passed };
}

/** The report as the CLI prints it: a line per failing key, then exactly `N passed, M failed`. */
export function formatParity(report: ParityReport): string {
  const lines = report.results.filter((r) => !r.ok).map((r) => `FAIL ${r.caseName} ${r.key}: ${r.detail ?? ''}`);
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

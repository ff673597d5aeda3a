import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { useBackend, webGpuMissing } from '../testing/backends';
import { buildLoss } from '../losses/buildLoss';
import type { LossTail } from '../losses/lossTail';
import { definitionOf, resolveLoss } from '../losses/registry';
import { LOVASZ_MAX_PIXELS, lovaszLayout, lovaszStage } from './lovaszStage';

type Options = Record<string, unknown>;

const tailOf = (input: Options, channels: number): LossTail | null => {
  const spec = resolveLoss(input);
  return definitionOf(spec).tail?.(spec, channels) ?? null;
};

describe('the Lovász tails', () => {
  it('exist for one ranking per image only, on logits of their task', () => {
    expect(tailOf({ id: 'lovaszHinge' }, 1)).toEqual({ kind: 'lovasz', softmax: false, classes: 'all', ignoreIndex: 255 });
    expect(tailOf({ id: 'lovaszHinge', aggregation: 'batch' }, 1)).toBeNull();
    expect(tailOf({ id: 'lovaszHinge' }, 3)).toBeNull();
    expect(tailOf({ id: 'lovaszSoftmax', aggregation: 'perImage', classes: 'all', ignoreIndex: 7 }, 3)).toEqual({
      kind: 'lovasz',
      softmax: true,
      classes: 'all',
      ignoreIndex: 7,
    });
    expect(tailOf({ id: 'lovaszSoftmax' }, 3)).toBeNull();
    expect(tailOf({ id: 'lovaszSoftmax', aggregation: 'perImage' }, 1)).toBeNull();
  });

  it('leave a step without a Lovász run alone', async () => {
    await useBackend('cpu');
    const tails = [tailOf({ id: 'bce' }, 1)!, tailOf({ id: 'softJaccard' }, 1)!];
    const inputs = [tf.zeros([2, 1, 4, 4, 1]), tf.zeros([1, 4, 4, 1]), tf.tensor1d([0], 'int32')] as const;
    const before = tf.memory().numTensors;
    expect(lovaszStage(...inputs, tails, 1, 16, 1)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...inputs]);
  });

  it('refuse an image larger than one workgroup sorts', async () => {
    await useBackend('cpu');
    const side = Math.sqrt(LOVASZ_MAX_PIXELS) + 1;
    const inputs = [tf.zeros([1, 1, side, side, 1]), tf.zeros([1, side, side, 1]), tf.tensor1d([0], 'int32')] as const;
    expect(() => lovaszStage(...inputs, [tailOf({ id: 'lovaszHinge' }, 1)!], 1, side * side, 1)).toThrow(/pixels per image/);
    tf.dispose([...inputs]);
  });
});

/** A deterministic number in [0, 1) per integer. */
const hash = (i: number) => {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
};

interface Case {
  name: string;
  /** Every run's loss; the Lovász ones are checked. */
  runs: Options[];
  channels: number;
  side: number;
  /** The training set's size, and the batch's images in it. */
  set: number;
  idx: number[];
  /** Logits other than logits()'s, by flat index. */
  z?: (n: number) => number;
}

const MULTIPLIERS = [5, 7, 11, 13, 17, 19, 23];

/**
 * Binary logits with no two hinge errors close: in each image a permutation of evenly spaced values offset so that
 * z_i = −z_j never holds (an object pixel's error 1 − z against a background pixel's 1 + z).
 */
function logits({ runs, channels, side, idx, z }: Case): number[] {
  const p = side * side;
  const b = idx.length;
  return Array.from({ length: runs.length * b * p * channels }, (_, n) => {
    if (z) return z(n);
    if (channels > 1) return 6 * hash(n) - 3;
    const [image, i] = [Math.floor(n / p), n % p];
    const a = MULTIPLIERS[image % MULTIPLIERS.length];
    return (((a * i + 17 * image) % p) + 0.37) * (4 / p) - 2;
  });
}

/** Binary: image 0 has no object. Several classes: image 1 has no class 2, every 13th pixel is ignored (255). */
function targets({ channels, side, set }: Case): number[] {
  const p = side * side;
  return Array.from({ length: set * p }, (_, n) => {
    const [image, i] = [Math.floor(n / p), n % p];
    if (channels === 1) return image === 0 ? 0 : (i * 7 + image * 3) % 5 < 2 ? 1 : 0;
    if (i % 13 === 5) return 255;
    return ((i * 7 + image) % 11) % (image === 1 ? 2 : channels);
  });
}

/** ∂L/∂z from ∂L/∂e: binary e = 1 − z(2y − 1); softmax e = |y_c − p_c| then the softmax's Jacobian. */
function logitGrad(lov: Float32Array, z: number[], y: number[], channels: number): number[] {
  if (channels === 1) return Array.from(lov, (g, q) => g * (1 - 2 * y[q]));
  const out: number[] = [];
  for (let q = 0; q < y.length; q++) {
    const row = z.slice(q * channels, (q + 1) * channels);
    const m = Math.max(...row);
    const ex = row.map((v) => Math.exp(v - m));
    const sum = ex.reduce((a, v) => a + v, 0);
    const p = ex.map((v) => v / sum);
    const dp = p.map((pc, c) => lov[q * channels + c] * Math.sign(pc - (y[q] === c ? 1 : 0)));
    const mixed = p.reduce((a, pc, c) => a + pc * dp[c], 0);
    out.push(...p.map((pc, c) => pc * (dp[c] - mixed)));
  }
  return out;
}

/** The errors e the stage ranks (0 on ignored pixels), for the loss as Σ e·∂L/∂e. */
function errors(z: number[], y: number[], channels: number): number[] {
  if (channels === 1) return y.map((t, q) => 1 - z[q] * (2 * t - 1));
  return y.flatMap((t, q) => {
    const row = z.slice(q * channels, (q + 1) * channels);
    const ex = row.map((v) => Math.exp(v - Math.max(...row)));
    const sum = ex.reduce((a, v) => a + v, 0);
    return ex.map((v, c) => (t === 255 ? 0 : Math.abs((t === c ? 1 : 0) - v / sum)));
  });
}

/** tfjs's autodiff of the loss of run k on cpu: value and ∂L/∂z. */
async function reference(c: Case, k: number, z: number[], y: number[]) {
  const b = c.idx.length;
  const p = c.side * c.side;
  const size = b * p * c.channels;
  const zk = tf.tensor4d(z.slice(k * size, (k + 1) * size), [b, c.side, c.side, c.channels]);
  const t = c.channels === 1 ? tf.tensor4d(y, [b, c.side, c.side, 1]) : tf.tensor3d(y, [b, c.side, c.side], 'int32');
  const loss = buildLoss(resolveLoss(c.runs[k]));
  const { value, grad } = tf.valueAndGrad((x: Tensor) => loss(x, t))(zk);
  const out = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([zk, t, value, grad]);
  return out;
}

const binary = (side: number, set: number, idx: number[]): Case => ({
  name: `hinge ${side}×${side}`,
  runs: [{ id: 'lovaszHinge' }, { id: 'bce' }, { id: 'lovaszHinge', aggregation: 'perImage' }],
  channels: 1,
  side,
  set,
  idx,
});
const softmax = (side: number): Case => ({
  name: `softmax ${side}×${side}`,
  runs: [
    { id: 'lovaszSoftmax', aggregation: 'perImage' },
    { id: 'softJaccard' },
    { id: 'lovaszSoftmax', aggregation: 'perImage', classes: 'all' },
  ],
  channels: 3,
  side,
  set: 5,
  idx: [1, 4, 2],
});

const CASES: Case[] = [
  binary(16, 5, [3, 0, 4]),
  binary(12, 5, [3, 0, 4]),
  softmax(16),
  softmax(12),
  { ...binary(Math.sqrt(LOVASZ_MAX_PIXELS), 2, [1]), runs: [{ id: 'lovaszHinge' }] },
  // Exact ties (three logit values): ranked by pixel index, as tfjs's cpu topk ranks them, so even ∂L/∂e agrees.
  { ...binary(8, 5, [3, 0, 4]), name: 'hinge 8×8, tied errors', z: (n) => [-1, 0, 0.5][n % 3] },
  { ...softmax(8), name: 'softmax 8×8, tied errors', z: (n) => [-1, 0, 0.5][Math.floor(n / 3) % 3] * (n % 3) },
];

const noAdapter = await webGpuMissing('the Lovász sort kernel is');

describe.skipIf(noAdapter !== null)('lovaszStage on WebGPU (Dawn in Node) against tfjs’s autodiff on cpu', () => {
  afterAll(() => useBackend('cpu'));

  /** The stage's output on webgpu for case c, and the inputs as numbers. */
  async function stage(c: Case, workgroupBytes: number | undefined) {
    const [z, all] = [logits(c), targets(c)];
    const p = c.side * c.side;
    const tails = c.runs.map((r) => tailOf(r, c.channels) ?? tailOf({ id: 'softJaccard' }, c.channels)!);
    await useBackend('webgpu');
    const before = tf.memory().numTensors;
    const zt = tf.tensor1d(z);
    const tt = c.channels === 1 ? tf.tensor4d(all, [c.set, c.side, c.side, 1]) : tf.tensor3d(all, [c.set, c.side, c.side], 'int32');
    const it = tf.tensor1d(c.idx, 'int32');
    const profile = await tf.profile(() => lovaszStage(zt, tt, it, tails, c.idx.length, p, c.channels, workgroupBytes)!);
    const out = profile.result as Tensor;
    const lov = (await out.data()) as Float32Array;
    tf.dispose([zt, tt, it, out]);
    const kernels = profile.kernels.map((x) => x.name).filter((n) => n !== 'Reshape');
    return { z, lov, kernels, leaked: tf.memory().numTensors - before, tails };
  }

  // The errors in workgroup memory (up to 2048 pixels, with the 16 KB WebGPU guarantees) and in the output (no room
  // spare); from 64 × 64 pixels on they are in the output either way.
  const ROOM = [
    ['16 KB of workgroup memory', undefined],
    ['no workgroup memory spare', 0],
  ] as const;
  const runs = CASES.flatMap((c) =>
    ROOM.filter(([, bytes]) => bytes === undefined || c.side ** 2 <= LOVASZ_MAX_PIXELS / 2).map(
      ([where, bytes]) => [c.name, where, c, bytes] as const,
    ),
  );
  it.each(runs)('%s, %s: one dispatch, ∂L/∂z and the loss as autodiff has them', async (_, __, c, bytes) => {
    const { z, lov, kernels, leaked, tails } = await stage(c, bytes);
    expect(kernels).toEqual(['SlpLovaszStage']);
    expect(leaked).toBe(0);
    await useBackend('cpu');
    const p = c.side * c.side;
    const [b, ch] = [c.idx.length, c.channels];
    const n = b * p;
    const all = targets(c);
    const y = c.idx.flatMap((image) => all.slice(image * p, (image + 1) * p));
    const slots = tails.flatMap((t, k) => (t.kind === 'lovasz' ? [k] : []));
    const layout = lovaszLayout(slots.length, b, p, ch);
    expect(lov.length).toBe(layout.size);
    for (const [s, k] of slots.entries()) {
      const want = await reference(c, k, z, y);
      const value = lov.slice(layout.sharesAt(s), layout.sharesAt(s) + layout.shares).reduce((a, v) => a + v, 0);
      expect(Math.abs(value - want.value), `run ${k}: ${value} vs ${want.value}`).toBeLessThan(1e-4 * (1 + Math.abs(want.value)));
      const [dl, zk] = [lov.slice(layout.gradAt(s), layout.gradAt(s) + n * ch), z.slice(k * n * ch, (k + 1) * n * ch)];
      // The Lovász extension is homogeneous in e: the loss is also Σ e·∂L/∂e.
      const homogeneous = errors(zk, y, ch).reduce((a, e, i) => a + e * dl[i], 0);
      expect(Math.abs(homogeneous - want.value)).toBeLessThan(1e-4 * (1 + Math.abs(want.value)));
      const got = logitGrad(dl, zk, y, ch);
      expect(Math.max(...want.grad.map(Math.abs))).toBeGreaterThan(0);
      const worst = Math.max(...got.map((g, i) => Math.abs(g - want.grad[i])));
      expect(worst, `run ${k}`).toBeLessThan(1e-5);
    }
  });
});

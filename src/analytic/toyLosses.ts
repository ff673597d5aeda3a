import type { LossSpec, RegionOptions } from '../losses/types';

/**
 * The symmetric toy prediction of the analytic view: one image of n pixels, f of them foreground; every
 * foreground pixel predicts pFg, every background pixel pBg (binary, sigmoid). Closed forms in float64.
 */
export interface Toy {
  n: number;
  f: number;
  pFg: number;
  pBg: number;
}

/** Value and ∂L/∂z on one foreground and one background pixel (the mean over each group where ranks tie). */
export interface ToyResult {
  value: number;
  gradFg: number;
  gradBg: number;
}

const logit = (p: number) => Math.log(p / (1 - p));

/** A result object to write into: the surfaces pass one and reuse it for all their cells. */
const result = (): ToyResult => ({ value: 0, gradFg: 0, gradBg: 0 });

function write(out: ToyResult, value: number, gradFg: number, gradBg: number): ToyResult {
  out.value = value;
  out.gradFg = gradFg;
  out.gradBg = gradBg;
  return out;
}

/**
 * Every region loss as score = (nI·I + s) / (cI·I + cP·Σp + cY·Σy + s_den): Jaccard (1, −1, 1, 1), Dice (2, 0, 1,
 * 1), Tversky (1, 1 − α − β, α, β). One object shape for all of them keeps the per-cell loop of the surfaces
 * monomorphic.
 */
interface RegionParams {
  nI: number;
  cI: number;
  cP: number;
  cY: number;
  smooth: number;
  smoothDen: number;
  eps: number;
  keepEmpty: boolean;
  log: boolean;
  squaredPred: boolean;
}

function regionParams(o: RegionOptions, k: readonly [number, number, number, number], log: boolean, squaredPred: boolean): RegionParams {
  return { nI: k[0], cI: k[1], cP: k[2], cY: k[3], smooth: o.smooth, smoothDen: o.smoothDen ?? o.smooth, eps: o.eps, keepEmpty: o.empty === 'keep', log, squaredPred };
}

function region(o: RegionParams, t: Toy, out: ToyResult): ToyResult {
  const { n, f, pFg, pBg } = t;
  if (f === 0 && !o.keepEmpty) return write(out, 0, 0, 0);
  const inter = f * pFg;
  const sumP = o.squaredPred ? f * pFg * pFg + (n - f) * pBg * pBg : f * pFg + (n - f) * pBg;
  const num = o.nI * inter + o.smooth;
  const den = o.cI * inter + o.cP * sumP + o.cY * f + o.smoothDen;
  const clamped = o.eps > 0 ? Math.max(den, o.eps) : den;
  const live = o.eps > 0 ? (den >= o.eps ? 1 : 0) : 1;
  const score = num / clamped;
  const dSdI = (o.nI * clamped - num * o.cI * live) / clamped ** 2;
  const dSdSp = (-num * o.cP * live) / clamped ** 2;
  let value: number;
  let dLdS: number;
  if (o.log) {
    value = -Math.log(o.eps > 0 ? Math.max(score, o.eps) : score);
    dLdS = o.eps > 0 && score < o.eps ? 0 : -1 / score;
  } else {
    value = 1 - score;
    dLdS = -1;
  }
  const dSpFg = o.squaredPred ? 2 * pFg : 1;
  const dSpBg = o.squaredPred ? 2 * pBg : 1;
  return write(out, value, dLdS * (dSdI + dSdSp * dSpFg) * pFg * (1 - pFg), dLdS * dSdSp * dSpBg * pBg * (1 - pBg));
}

/** Per-pixel Lovász weight of each group; written into a scratch object, as the surfaces call this per cell. */
interface LovaszWeights {
  perFg: number;
  perBg: number;
}

/**
 * Lovász extension on fg pixels (error eF, gt 1) and bg pixels (error eB, gt 0), each group tied. The group with the
 * larger error is ranked first and receives ΔJ after it; the other gets the rest of J at the end (1 when anything is
 * there at all).
 */
function lovaszFgBg(eF: number, eB: number, f: number, n: number, w: LovaszWeights): LovaszWeights {
  const b = n - f;
  const jEnd = n > 0 ? 1 : 0;
  // Foreground first: J jumps to 1 as soon as a foreground pixel is wrong. Background first: b / (f + b).
  const fgFirst = eF >= eB;
  const jFirst = fgFirst ? (f > 0 ? 1 : 0) : n > 0 ? b / n : 0;
  const wFg = f > 0 ? (fgFirst ? jFirst : jEnd - jFirst) : 0;
  const wBg = b > 0 ? (fgFirst ? jEnd - jFirst : jFirst) : 0;
  w.perFg = f ? wFg / f : 0;
  w.perBg = b ? wBg / b : 0;
  return w;
}

/**
 * Closed-form value and logit gradients of any loss of the registry on the toy. Multi-class losses (ce,
 * Lovász-Softmax) see the toy as two classes with logits (0, z), whose softmax is the sigmoid.
 */
export function toyLoss(spec: LossSpec, t: Toy): ToyResult {
  return compileToyLoss(spec)(t);
}

export type ToyLossFn = (t: Toy, out?: ToyResult) => ToyResult;

/**
 * The same as a function of the toy alone, with the loss's options resolved once: the analytic view calls it
 * for every cell of its surfaces, passing `out`, so nothing is allocated per call.
 */
export function compileToyLoss(spec: LossSpec): ToyLossFn {
  switch (spec.id) {
    case 'softJaccard':
    case 'logJaccard':
      return regionLoss(regionParams(spec, [1, -1, 1, 1], spec.id === 'logJaccard', false));
    case 'softDice':
    case 'logDice':
      return regionLoss(regionParams(spec, [2, 0, 1, 1], spec.id === 'logDice', spec.squaredPred));
    case 'tversky':
      return regionLoss(regionParams(spec, [1, 1 - spec.alpha - spec.beta, spec.alpha, spec.beta], spec.log, false));
    case 'combo': {
      const terms = spec.terms.map((term) => ({ weight: term.weight, fn: compileToyLoss(term.loss) }));
      const scratch = result();
      return (t, out = result()) => {
        write(out, 0, 0, 0);
        for (const term of terms) {
          const r = term.fn(t, scratch);
          out.value += term.weight * r.value;
          out.gradFg += term.weight * r.gradFg;
          out.gradBg += term.weight * r.gradBg;
        }
        return out;
      };
    }
    case 'bce':
      return crossEntropy(spec.posWeight, 1, false);
    case 'ce':
      return crossEntropy(spec.weights?.[1] ?? 1, spec.weights?.[0] ?? 1, true);
    case 'focal':
      return focal(spec.gamma, spec.alpha);
    case 'generalizedDice':
      return generalizedDice(spec);
    case 'lovaszHinge':
      return lovaszHinge();
    case 'lovaszSoftmax':
      return lovaszSoftmax(spec.classes === 'present');
  }
}

const regionLoss = (o: RegionParams): ToyLossFn => (t, out = result()) => region(o, t, out);

/** BCE averages over pixels; ce's weighted mean divides by the summed weights (PyTorch's convention). */
function crossEntropy(w1: number, w0: number, weightedMean: boolean): ToyLossFn {
  return (t, out = result()) => {
    const { n, f, pFg, pBg } = t;
    const b = n - f;
    const total = weightedMean ? f * w1 + b * w0 : n;
    if (total === 0) return write(out, 0, 0, 0);
    return write(out, (f * w1 * -Math.log(pFg) + b * w0 * -Math.log(1 - pBg)) / total, (w1 * (pFg - 1)) / total, (w0 * pBg) / total);
  };
}

function focal(gamma: number, alpha: number | null): ToyLossFn {
  const aFg = alpha === null ? 1 : alpha;
  const aBg = alpha === null ? 1 : 1 - alpha;
  return (t, out = result()) => {
    const { n, f, pFg, pBg } = t;
    // Lin et al.'s term in ref.py's closed form, with p_t = p on foreground and 1 − p on background.
    const ptF = pFg;
    const ptB = 1 - pBg;
    const logF = Math.log(ptF);
    const logB = Math.log(ptB);
    const mF = (1 - ptF) ** gamma;
    const mB = (1 - ptB) ** gamma;
    const vF = aFg * mF * -logF;
    const vB = aBg * mB * -logB;
    const gF = aFg * mF * (gamma * ptF * logF + ptF - 1);
    const gB = -aBg * mB * (gamma * ptB * logB + ptB - 1);
    return write(out, (f * vF + (n - f) * vB) / n, gF / n, gB / n);
  };
}

function generalizedDice(spec: Extract<LossSpec, { id: 'generalizedDice' }>): ToyLossFn {
  const sD = spec.smoothDen ?? spec.smooth;
  return (t, out = result()) => {
    const { n, f, pFg, pBg } = t;
    const w = f === 0 ? 0 : spec.weighting === 'square' ? 1 / (f * f) : spec.weighting === 'simple' ? 1 / f : 1;
    const num = 2 * w * f * pFg + spec.smooth;
    const den = w * (f * pFg + (n - f) * pBg + f) + sD;
    return write(out, 1 - num / den, -((2 * w * den - num * w) / den ** 2) * pFg * (1 - pFg), ((num * w) / den ** 2) * pBg * (1 - pBg));
  };
}

function lovaszHinge(): ToyLossFn {
  const w: LovaszWeights = { perFg: 0, perBg: 0 };
  return (t, out = result()) => {
    const { n, f, pFg, pBg } = t;
    // Ranked by the raw hinge errors; relu applies to the values (Berman's order of operations).
    const eF = 1 - logit(pFg);
    const eB = 1 + logit(pBg);
    lovaszFgBg(eF, eB, f, n, w);
    return write(out, w.perFg * f * Math.max(eF, 0) + w.perBg * (n - f) * Math.max(eB, 0), eF > 0 ? -w.perFg : 0, eB > 0 ? w.perBg : 0);
  };
}

function lovaszSoftmax(presentOnly: boolean): ToyLossFn {
  const one: LovaszWeights = { perFg: 0, perBg: 0 };
  const zero: LovaszWeights = { perFg: 0, perBg: 0 };
  return (t, out = result()) => {
    const { n, f, pFg, pBg } = t;
    const b = n - f;
    const has1 = !presentOnly || f > 0;
    const has0 = !presentOnly || b > 0;
    const k = (has1 ? 1 : 0) + (has0 ? 1 : 0);
    if (k === 0) return write(out, 0, 0, 0);
    // Class 1: errors 1 − pFg on its own pixels, pBg elsewhere; class 0 mirrors it (its "foreground" is the
    // background), so its weights come back with fg and bg swapped.
    lovaszFgBg(1 - pFg, pBg, f, n, one);
    lovaszFgBg(pBg, 1 - pFg, b, n, zero);
    const dFg = pFg * (1 - pFg);
    const dBg = pBg * (1 - pBg);
    const v1 = has1 ? one.perFg * f * (1 - pFg) + one.perBg * b * pBg : 0;
    const v0 = has0 ? zero.perFg * b * pBg + zero.perBg * f * (1 - pFg) : 0;
    // ∂|y − p₁|/∂z = −σ' on a fg pixel, +σ' on a bg pixel; for class 0, p₀ = 1 − p₁ flips the inner sign.
    const gFg = (has1 ? -one.perFg * dFg : 0) + (has0 ? -zero.perBg * dFg : 0);
    const gBg = (has1 ? one.perBg * dBg : 0) + (has0 ? zero.perFg * dBg : 0);
    return write(out, (v1 + v0) / k, gFg / k, gBg / k);
  };
}

/** Hard IoU of the toy at threshold 0.5 (NaN when there is nothing to score). */
export function toyHardIoU(t: Toy): number {
  const tp = t.pFg > 0.5 ? t.f : 0;
  const fp = t.pBg > 0.5 ? t.n - t.f : 0;
  const fn = t.f - tp;
  const den = tp + fp + fn;
  return den ? tp / den : NaN;
}

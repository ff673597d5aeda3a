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

const ZERO: ToyResult = { value: 0, gradFg: 0, gradBg: 0 };

const logit = (p: number) => Math.log(p / (1 - p));

type RegionParams = RegionOptions & { kind: 'jaccard' | 'dice' | 'tversky'; log: boolean; alpha: number; beta: number; squaredPred: boolean };
/** ∂N/∂I, ∂D/∂I, ∂D/∂Sp of a region kind: fixed per loss, so worked out once when it is compiled. */
type Coefficients = readonly [number, number, number];

function coefficients(o: RegionParams): Coefficients {
  return o.kind === 'jaccard' ? [1, -1, 1] : o.kind === 'dice' ? [2, 0, 1] : [1, 1 - o.alpha - o.beta, o.alpha];
}

/** Writes into `out` (the surfaces reuse one object for all their cells). */
function region(o: RegionParams, k: Coefficients, t: Toy, out: ToyResult): ToyResult {
  const { n, f, pFg, pBg } = t;
  const nI = k[0];
  const dDdI = k[1];
  const dDdSp = k[2];
  if (f === 0 && o.empty !== 'keep') {
    out.value = 0;
    out.gradFg = 0;
    out.gradBg = 0;
    return out;
  }
  const inter = f * pFg;
  const sumP = o.squaredPred ? f * pFg * pFg + (n - f) * pBg * pBg : f * pFg + (n - f) * pBg;
  const sumY = f;
  const sN = o.smooth;
  const sD = o.smoothDen ?? o.smooth;
  const num = nI * inter + sN;
  const den =
    o.kind === 'jaccard' ? sumP + sumY - inter + sD : o.kind === 'dice' ? sumP + sumY + sD : inter + o.alpha * (sumP - inter) + o.beta * (sumY - inter) + sD;
  const clamped = o.eps > 0 ? Math.max(den, o.eps) : den;
  const live = o.eps > 0 ? (den >= o.eps ? 1 : 0) : 1;
  const score = num / clamped;
  const dSdI = (nI * clamped - num * dDdI * live) / clamped ** 2;
  const dSdSp = (-num * dDdSp * live) / clamped ** 2;
  let value: number;
  let dLdS: number;
  if (o.log) {
    const s = o.eps > 0 ? Math.max(score, o.eps) : score;
    value = -Math.log(s);
    dLdS = o.eps > 0 && score < o.eps ? 0 : -1 / score;
  } else {
    value = 1 - score;
    dLdS = -1;
  }
  const dSpFg = o.squaredPred ? 2 * pFg : 1;
  const dSpBg = o.squaredPred ? 2 * pBg : 1;
  out.value = value;
  out.gradFg = dLdS * (dSdI + dSdSp * dSpFg) * pFg * (1 - pFg);
  out.gradBg = dLdS * dSdSp * dSpBg * pBg * (1 - pBg);
  return out;
}

/** Sigmoid focal term's value and d/dz for one pixel with target y (Lin et al.; ref.py's closed form). */
function focalPixel(p: number, y: 0 | 1, gamma: number, alpha: number | null): [number, number] {
  const s = y === 1 ? 1 : -1;
  const pt = y === 1 ? p : 1 - p;
  const at = alpha === null ? 1 : y === 1 ? alpha : 1 - alpha;
  const logPt = Math.log(pt);
  return [at * (1 - pt) ** gamma * -logPt, at * s * (1 - pt) ** gamma * (gamma * pt * logPt + pt - 1)];
}

/**
 * Lovász extension on two tied groups: group A (larger error eA, gt gA, size a) ranked before group B. Returns
 * the loss and the total weight each group receives; ΔJ after group A is all that matters.
 */
function lovaszTwoGroups(eA: number, gtA: 0 | 1, a: number, eB: number, b: number): { value: number; weightA: number; weightB: number } {
  const gts = gtA === 1 ? a : b;
  const jA = gtA === 1 ? (a > 0 ? 1 : 0) : (gts + a > 0 ? a / (gts + a) : 0);
  const jEnd = a + b > 0 ? 1 : 0;
  const weightA = a > 0 ? jA : 0;
  const weightB = b > 0 ? jEnd - jA : 0;
  return { value: eA * weightA + eB * weightB, weightA, weightB };
}

/** Lovász on fg pixels (error eF, gt 1) and bg pixels (error eB, gt 0): per-pixel weights of each group. */
function lovaszFgBg(eF: number, eB: number, f: number, n: number) {
  const b = n - f;
  if (eF >= eB) {
    const r = lovaszTwoGroups(eF, 1, f, eB, b);
    return { value: r.value, perFg: f ? r.weightA / f : 0, perBg: b ? r.weightB / b : 0 };
  }
  const r = lovaszTwoGroups(eB, 0, b, eF, f);
  return { value: r.value, perFg: f ? r.weightB / f : 0, perBg: b ? r.weightA / b : 0 };
}

/**
 * Closed-form value and logit gradients of any loss of the registry on the toy. Multi-class losses (ce,
 * Lovász-Softmax) see the toy as two classes with logits (0, z), whose softmax is the sigmoid.
 */
export function toyLoss(spec: LossSpec, t: Toy): ToyResult {
  return compileToyLoss(spec)(t);
}

/**
 * The same as a function of the toy alone, with the loss's options resolved once: the analytic view calls it
 * for every cell of its surfaces, so nothing is allocated per call but the result.
 */
export function compileToyLoss(spec: LossSpec): (t: Toy, out?: ToyResult) => ToyResult {
  const regionOf = (o: RegionParams) => {
    const c = coefficients(o);
    return (t: Toy, out: ToyResult = { value: 0, gradFg: 0, gradBg: 0 }) => region(o, c, t, out);
  };
  switch (spec.id) {
    case 'softJaccard':
    case 'logJaccard':
      return regionOf({ ...spec, kind: 'jaccard', log: spec.id === 'logJaccard', alpha: 0, beta: 0, squaredPred: false });
    case 'softDice':
    case 'logDice':
      return regionOf({ ...spec, kind: 'dice', log: spec.id === 'logDice', alpha: 0, beta: 0 });
    case 'tversky':
      return regionOf({ ...spec, kind: 'tversky', squaredPred: false });
    case 'combo': {
      const terms = spec.terms.map((term) => ({ weight: term.weight, fn: compileToyLoss(term.loss) }));
      return (t) => {
        let value = 0;
        let gradFg = 0;
        let gradBg = 0;
        for (const term of terms) {
          const r = term.fn(t);
          value += term.weight * r.value;
          gradFg += term.weight * r.gradFg;
          gradBg += term.weight * r.gradBg;
        }
        return { value, gradFg, gradBg };
      };
    }
    default:
      return (t) => pixelOrRanked(spec, t);
  }
}

function pixelOrRanked(spec: LossSpec, t: Toy): ToyResult {
  const { n, f, pFg, pBg } = t;
  const b = n - f;
  switch (spec.id) {
    case 'bce':
    case 'ce': {
      const w1 = spec.id === 'bce' ? spec.posWeight : (spec.weights?.[1] ?? 1);
      const w0 = spec.id === 'ce' ? (spec.weights?.[0] ?? 1) : 1;
      const total = spec.id === 'bce' ? n : f * w1 + b * w0;
      if (total === 0) return ZERO;
      return {
        value: (f * w1 * -Math.log(pFg) + b * w0 * -Math.log(1 - pBg)) / total,
        gradFg: (w1 * (pFg - 1)) / total,
        gradBg: (w0 * pBg) / total,
      };
    }
    case 'focal': {
      const [vf, gf] = focalPixel(pFg, 1, spec.gamma, spec.alpha);
      const [vb, gb] = focalPixel(pBg, 0, spec.gamma, spec.alpha);
      return { value: (f * vf + b * vb) / n, gradFg: gf / n, gradBg: gb / n };
    }
    case 'generalizedDice': {
      const sD = spec.smoothDen ?? spec.smooth;
      const w = f === 0 ? 0 : spec.weighting === 'square' ? 1 / (f * f) : spec.weighting === 'simple' ? 1 / f : 1;
      const num = 2 * w * f * pFg + spec.smooth;
      const den = w * (f * pFg + b * pBg + f) + sD;
      return {
        value: 1 - num / den,
        gradFg: -((2 * w * den - num * w) / den ** 2) * pFg * (1 - pFg),
        gradBg: ((num * w) / den ** 2) * pBg * (1 - pBg),
      };
    }
    case 'lovaszHinge': {
      // Ranked by the raw hinge errors; relu applies to the values (Berman's order of operations).
      const eF = 1 - logit(pFg);
      const eB = 1 + logit(pBg);
      const r = lovaszFgBg(eF, eB, f, n);
      return {
        value: r.perFg * f * Math.max(eF, 0) + r.perBg * b * Math.max(eB, 0),
        gradFg: eF > 0 ? -r.perFg : 0,
        gradBg: eB > 0 ? r.perBg : 0,
      };
    }
    case 'lovaszSoftmax': {
      // Class 1: errors 1 − pFg on its own pixels, pBg elsewhere; class 0 mirrors it.
      const one = lovaszFgBg(1 - pFg, pBg, f, n);
      const zero = lovaszFgBg(pBg, 1 - pFg, b, n);
      const present = spec.classes === 'present' ? [f > 0, b > 0] : [true, true];
      const k = present.filter(Boolean).length;
      if (k === 0) return ZERO;
      const dFg = pFg * (1 - pFg);
      const dBg = pBg * (1 - pBg);
      // ∂|y − p₁|/∂z = −σ' on a fg pixel, +σ' on a bg pixel; for class 0, p₀ = 1 − p₁ flips the inner sign.
      const g1 = present[1] ? { v: one.value, fg: -one.perFg * dFg, bg: one.perBg * dBg } : { v: 0, fg: 0, bg: 0 };
      const g0 = present[0] ? { v: zero.value, fg: -zero.perBg * dFg, bg: zero.perFg * dBg } : { v: 0, fg: 0, bg: 0 };
      return { value: (g1.v + g0.v) / k, gradFg: (g1.fg + g0.fg) / k, gradBg: (g1.bg + g0.bg) / k };
    }
    default:
      return compileToyLoss(spec)(t);
  }
}

/** Hard IoU of the toy at threshold 0.5 (NaN when there is nothing to score). */
export function toyHardIoU(t: Toy): number {
  const tp = t.pFg > 0.5 ? t.f : 0;
  const fp = t.pBg > 0.5 ? t.n - t.f : 0;
  const fn = t.f - tp;
  const den = tp + fp + fn;
  return den ? tp / den : NaN;
}

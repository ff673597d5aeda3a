/**
 * The symmetric toy prediction of the analytic view: one image of n pixels, f of them foreground; every
 * foreground pixel predicts pFg, every background pixel pBg (binary, sigmoid). A loss's closed form on it is
 * float64 JS, no tfjs, so the page can evaluate it for every cell of a surface.
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

/** A closed form with its options resolved; `out` is reused by the surfaces so nothing is allocated per cell. */
export type ToyLossFn = (t: Toy, out?: ToyResult) => ToyResult;

export const toyResult = (): ToyResult => ({ value: 0, gradFg: 0, gradBg: 0 });

export function writeToy(out: ToyResult, value: number, gradFg: number, gradBg: number): ToyResult {
  out.value = value;
  out.gradFg = gradFg;
  out.gradBg = gradBg;
  return out;
}

export const logit = (p: number) => Math.log(p / (1 - p));

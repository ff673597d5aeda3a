import type { LossSpec } from '../losses/lossDefinition';
import { compileToyLoss, isSeparable, toyHardIoU, type Toy, type ToyResult } from './toyLosses';

export const P_MIN = 1e-4;
export const P_MAX = 1 - 1e-4;
export const logit = (p: number) => Math.log(p / (1 - p));
export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const Z_LIMIT = logit(P_MAX);

export interface ToySettings {
  pixels: number;
  foreground: number;
  pFg: number;
  pBg: number;
  smooth: number;
}

export function toyOf(s: ToySettings): Toy {
  const f = Math.max(1, Math.round(s.foreground * s.pixels));
  return { n: s.pixels, f, pFg: s.pFg, pBg: s.pBg };
}

export interface Curve {
  /** logit(p_fg) at each sample */
  z: Float64Array;
  value: Float64Array;
  gradFg: Float64Array;
}

export interface Surface {
  size: number;
  /** Loss values over (z_fg across, z_bg down), row-major. */
  value: Float64Array;
  /** Descent direction of the whole foreground / background group at the arrow grid. */
  arrows: { zFg: number; zBg: number; dFg: number; dBg: number }[];
}

export interface AnalyticFrame {
  readouts: ToyResult[];
  hardIoU: number;
  curves: Curve[];
  surfaces: Surface[];
  hardSurface: Float64Array;
  hardArrows: Surface['arrows'];
}

/** A loss ready for the toy; `separable` when it is a sum of per-pixel terms (value = g(p_fg) + h(p_bg)). */
export interface Compiled {
  fn: ReturnType<typeof compileToyLoss>;
  separable: boolean;
}

export function compileLosses(losses: LossSpec[], smooth: number): Compiled[] {
  return losses.map((l) => ({ fn: compileToyLoss(l, { smooth }), separable: isSeparable(l) }));
}

export function readouts(s: ToySettings, fns: Compiled[]): ToyResult[] {
  const toy = toyOf(s);
  return fns.map((l) => l.fn(toy));
}

/** The curves' logit grid: an odd number of points, so that p = 0.5 is one of them. */
const curveGrid = (points: number) => Float64Array.from({ length: points }, (_, i) => -Z_LIMIT + (2 * Z_LIMIT * i) / (points - 1));

/** Value and |∂L/∂z_fg| along p_fg (on a logit grid) with p_bg fixed. */
export function lossCurves(s: ToySettings, fns: Compiled[], points = 241): Curve[] {
  const toy = toyOf(s);
  const zs = curveGrid(points);
  return fns.map(({ fn: l }) => {
    const value = new Float64Array(points);
    const gradFg = new Float64Array(points);
    zs.forEach((z, i) => {
      const r = l({ n: toy.n, f: toy.f, pFg: sigmoid(z), pBg: s.pBg });
      value[i] = r.value;
      gradFg[i] = Math.abs(r.gradFg);
    });
    return { z: zs, value, gradFg };
  });
}

/**
 * The metric as a loss along the same grid: 1 − hard IoU, a step where p_fg crosses 0.5, whose gradient is 0
 * wherever it is defined.
 */
export function hardCurve(s: ToySettings, points = 241): Curve {
  const toy = toyOf(s);
  const z = curveGrid(points);
  return { z, value: z.map((zi) => 1 - toyHardIoU({ ...toy, pFg: sigmoid(zi) })), gradFg: new Float64Array(points) };
}

/**
 * The surfaces over (z_fg, z_bg) with their descent fields, and the hard-IoU surface. They do not depend on
 * where the sliders are, so dragging a slider never recomputes them.
 */
export function lossSurfaces(
  s: ToySettings,
  fns: Compiled[],
  size = 128,
  arrowGrid = 11,
): { surfaces: Surface[]; hardSurface: Float64Array; hardArrows: Surface['arrows'] } {
  const toy = toyOf(s);
  const f = toy.f;
  const b = toy.n - f;
  const pGrid = Float64Array.from({ length: size }, (_, i) => sigmoid(-Z_LIMIT + (2 * Z_LIMIT * i) / (size - 1)));
  const at = Array.from({ length: arrowGrid * arrowGrid }, (_, k) => ({
    zFg: -Z_LIMIT * 0.9 + (1.8 * Z_LIMIT * (k % arrowGrid)) / (arrowGrid - 1),
    zBg: -Z_LIMIT * 0.9 + (1.8 * Z_LIMIT * Math.floor(k / arrowGrid)) / (arrowGrid - 1),
  }));
  const surfaces = fns.map(({ fn: l, separable }): Surface => {
    const value = new Float64Array(size * size);
    // One toy object reused for every cell: this loop runs 16 384 times per loss.
    const cell: Toy = { n: toy.n, f, pFg: 0, pBg: 0 };
    const out: ToyResult = { value: 0, gradFg: 0, gradBg: 0 };
    if (separable) {
      // V(x, y) = V(x, y₀) + V(x₀, y) − V(x₀, y₀): two rows of evaluations instead of a full grid.
      const at = (pFg: number, pBg: number) => {
        cell.pFg = pFg;
        cell.pBg = pBg;
        return l(cell, out).value;
      };
      const alongFg = pGrid.map((p) => at(p, pGrid[0]));
      const alongBg = pGrid.map((p) => at(pGrid[0], p));
      const corner = alongFg[0];
      for (let r = 0; r < size; r++) {
        const vb = alongBg[size - 1 - r] - corner;
        for (let c = 0; c < size; c++) value[r * size + c] = alongFg[c] + vb;
      }
    } else {
      for (let r = 0; r < size; r++) {
        cell.pBg = pGrid[size - 1 - r];
        for (let c = 0; c < size; c++) {
          cell.pFg = pGrid[c];
          value[r * size + c] = l(cell, out).value;
        }
      }
    }
    const arrows = at.map(({ zFg, zBg }) => {
      const g = l({ n: toy.n, f, pFg: sigmoid(zFg), pBg: sigmoid(zBg) });
      return { zFg, zBg, dFg: -g.gradFg * f, dBg: -g.gradBg * b };
    });
    return { size, value, arrows };
  });
  const hardSurface = new Float64Array(size * size);
  const cell: Toy = { n: toy.n, f, pFg: 0, pBg: 0 };
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      cell.pFg = pGrid[c];
      cell.pBg = pGrid[size - 1 - r];
      hardSurface[r * size + c] = toyHardIoU(cell);
    }
  // The metric's descent field: zero wherever it is defined.
  const hardArrows = at.map(({ zFg, zBg }) => ({ zFg, zBg, dFg: 0, dBg: 0 }));
  return { surfaces, hardSurface, hardArrows };
}

/** Everything the analytic view draws, computed from scratch (what the benchmark times). */
export function analyticFrame(s: ToySettings, losses: LossSpec[]): AnalyticFrame {
  const fns = compileLosses(losses, s.smooth);
  return { readouts: readouts(s, fns), hardIoU: toyHardIoU(toyOf(s)), curves: lossCurves(s, fns), ...lossSurfaces(s, fns) };
}

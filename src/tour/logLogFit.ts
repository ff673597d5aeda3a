// A power law's exponent from measured points: the least-squares line through log₁₀ y against log₁₀ x. The plateau
// figure fits its lengths against the prior p this way; the chart draws the line.

export interface LogLogFit {
  slope: number;
  /** log₁₀ of y at x = 1. */
  intercept: number;
  /** The points it was fitted to (a y that is null, as a run that never passed, is left out). */
  points: number;
}

/** The least-squares line through (log₁₀ x, log₁₀ y) over the pairs whose y is a positive number; null below two. */
export function logLogFit(xs: readonly number[], ys: readonly (number | null)[]): LogLogFit | null {
  const pairs = xs.flatMap((x, i) => {
    const y = ys[i];
    return y !== null && y > 0 && x > 0 ? [[Math.log10(x), Math.log10(y)] as const] : [];
  });
  if (pairs.length < 2) return null;
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = pairs.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = pairs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx, points: n };
}

/** The fit over the points whose x is at most `upTo`. */
export const fitUpTo = (xs: readonly number[], ys: readonly (number | null)[], upTo: number): LogLogFit | null =>
  logLogFit(
    xs,
    ys.map((y, i) => (xs[i] <= upTo ? y : null)),
  );

/** The fitted line's y at x. */
export const fitAt = (fit: LogLogFit, x: number): number => 10 ** (fit.intercept + fit.slope * Math.log10(x));

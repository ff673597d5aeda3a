/**
 * At most ~`maxPoints` points of a series, keeping each bucket's minimum and maximum (and the last point), so
 * spikes and plateaus survive while a 20 000-step run stays cheap to draw. Non-finite values are dropped.
 */
export function decimate(xs: readonly number[], ys: readonly number[], maxPoints = 2000): { x: number[]; y: number[] } {
  const n = Math.min(xs.length, ys.length);
  if (n <= maxPoints) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(ys[i])) x.push(xs[i]), y.push(ys[i]);
    return { x, y };
  }
  const buckets = Math.floor(maxPoints / 2);
  const size = n / buckets;
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      if (!Number.isFinite(ys[i])) continue;
      if (lo < 0 || ys[i] < ys[lo]) lo = i;
      if (hi < 0 || ys[i] > ys[hi]) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) x.push(xs[i]), y.push(ys[i]);
  }
  const last = n - 1;
  if (Number.isFinite(ys[last]) && x.at(-1) !== xs[last]) x.push(xs[last]), y.push(ys[last]);
  return { x, y };
}

/**
 * At most ~`maxPoints` points of a series, keeping each bucket's minimum and maximum (and the last point), so
 * spikes and plateaus survive while a 20 000-step run stays cheap to draw. Non-finite values are dropped.
 */
export function decimate(xs: readonly number[], ys: readonly number[], maxPoints = 2000): { x: number[]; y: number[] } {
  const n = Math.min(xs.length, ys.length);
  if (n <= maxPoints) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(ys[i])) continue;
      x.push(xs[i]);
      y.push(ys[i]);
    }
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
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      x.push(xs[i]);
      y.push(ys[i]);
    }
  }
  const last = n - 1;
  if (Number.isFinite(ys[last]) && x.at(-1) !== xs[last]) {
    x.push(xs[last]);
    y.push(ys[last]);
  }
  return { x, y };
}

/**
 * The same min/max decimation kept up to date point by point, for series that grow while they are drawn: each
 * push costs O(1) amortised and a read at most ~`maxPoints`, however long the run. Points go into buckets of
 * `span` consecutive points, each keeping its lowest and highest finite value; when the buckets would give more
 * than `maxPoints` points, neighbours merge and the span doubles.
 */
export class StreamDecimator {
  private span = 1;
  private readonly lo: [number, number][] = [];
  private readonly hi: [number, number][] = [];
  private open: { count: number; lo: [number, number] | null; hi: [number, number] | null } = { count: 0, lo: null, hi: null };
  private last: [number, number] | null = null;
  private cache: { x: number[]; y: number[] } | null = null;

  constructor(private readonly maxPoints = 2000) {}

  push(x: number, y: number): void {
    this.cache = null;
    const b = this.open;
    b.count++;
    if (Number.isFinite(y)) {
      const p: [number, number] = [x, y];
      if (!b.lo || y < b.lo[1]) b.lo = p;
      if (!b.hi || y > b.hi[1]) b.hi = p;
      this.last = p;
    }
    if (b.count < this.span) return;
    if (b.lo && b.hi) {
      this.lo.push(b.lo);
      this.hi.push(b.hi);
    }
    this.open = { count: 0, lo: null, hi: null };
    // Two points per bucket, plus the open bucket's two and the latest point, stay within maxPoints.
    if (2 * this.lo.length + 3 > this.maxPoints) this.halve();
  }

  /** The kept points in step order, the latest point always among them. */
  points(): { x: number[]; y: number[] } {
    if (this.cache) return this.cache;
    const x: number[] = [];
    const y: number[] = [];
    const put = (p: [number, number]) => {
      x.push(p[0]);
      y.push(p[1]);
    };
    const emit = (lo: [number, number], hi: [number, number]) => {
      put(lo[0] <= hi[0] ? lo : hi);
      if (lo !== hi) put(lo[0] <= hi[0] ? hi : lo);
    };
    for (let i = 0; i < this.lo.length; i++) emit(this.lo[i], this.hi[i]);
    if (this.open.lo && this.open.hi) emit(this.open.lo, this.open.hi);
    if (this.last && this.last[0] > (x.at(-1) ?? -Infinity)) put(this.last);
    this.cache = { x, y };
    return this.cache;
  }

  private halve(): void {
    const n = Math.floor(this.lo.length / 2);
    for (let i = 0; i < n; i++) {
      const [l1, l2, h1, h2] = [this.lo[2 * i], this.lo[2 * i + 1], this.hi[2 * i], this.hi[2 * i + 1]];
      this.lo[i] = l2[1] < l1[1] ? l2 : l1;
      this.hi[i] = h2[1] > h1[1] ? h2 : h1;
    }
    // An odd bucket out stays as it is, after the merged ones.
    const odd = this.lo.length % 2 === 1;
    if (odd) {
      this.lo[n] = this.lo[this.lo.length - 1];
      this.hi[n] = this.hi[this.hi.length - 1];
    }
    this.lo.length = this.hi.length = n + (odd ? 1 : 0);
    this.span *= 2;
  }
}

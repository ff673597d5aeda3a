// Read-back confusion counts, in plain JS: the page's analytic view scores them on the main thread, where tfjs
// must never load (see confusion.ts for the device side).

/** A read-back confusion: one row-major K×K matrix per image. */
export interface Confusion {
  classes: number;
  images: Float64Array[];
}

/** The dataset-level matrix: the sum over images. */
export function totalConfusion(conf: Confusion): Float64Array {
  const total = new Float64Array(conf.classes * conf.classes);
  for (const m of conf.images) for (let i = 0; i < m.length; i++) total[i] += m[i];
  return total;
}

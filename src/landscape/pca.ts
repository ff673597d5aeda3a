// The top two principal directions of a training trajectory (Li et al. 2018): the checkpoints' offsets from the
// final weights, θᵢ − θ_final, as rows of X (n × P, n a few dozen, P thousands). The eigenvectors of the small Gram
// matrix X·Xᵀ give those of the covariance (v = Xᵀu / √λ), so the decomposition is of an n × n symmetric matrix,
// done here by cyclic Jacobi rotations: exact enough in float64, and a few dozen lines instead of a matrix library.

export interface TrajectoryPca {
  /** Unit directions in weight space (flat, float64). */
  directions: [Float64Array, Float64Array];
  /** Each direction's share of the offsets' total variance. */
  explained: [number, number];
  /** Each checkpoint's coordinates along the two directions. */
  coordinates: [number, number][];
}

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, row-major n × n) of a symmetric matrix. */
export function symmetricEigen(matrix: readonly number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [a[k][p], a[k][q]];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [a[p][k], a[q][k]];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [v[k][p], v[k][q]];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: v.map((row) => order.map((i) => row[i])) };
}

const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
};

/** PCA of the checkpoints' offsets from `final` (at least two checkpoints that differ from it). */
export function trajectoryPca(checkpoints: readonly Float64Array[], final: Float64Array): TrajectoryPca {
  const rows = checkpoints.map((c) => c.map((v, i) => v - final[i]));
  const gram = rows.map((r) => rows.map((s) => dot(r, s)));
  const { values, vectors } = symmetricEigen(gram);
  const total = values.reduce((a, b) => a + Math.max(b, 0), 0);
  if (!(values[1] > 1e-12 * Math.max(total, 1e-300))) {
    throw new Error('the trajectory needs at least two checkpoints that differ from the final weights in two directions');
  }
  const direction = (k: number) => {
    const v = new Float64Array(final.length);
    rows.forEach((r, i) => {
      const u = vectors[i][k];
      for (let j = 0; j < v.length; j++) v[j] += u * r[j];
    });
    const norm = Math.sqrt(dot(v, v));
    return v.map((x) => x / norm);
  };
  const directions: [Float64Array, Float64Array] = [direction(0), direction(1)];
  return {
    directions,
    explained: [values[0] / total, values[1] / total],
    coordinates: rows.map((r) => [dot(r, directions[0]), dot(r, directions[1])]),
  };
}

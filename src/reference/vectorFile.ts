/** The schema of the reference vectors file (see ref.py): layouts are (B, P) binary and (B, C, P) multi-class. */
export type JsonNumber = number | string;
export type Nested = JsonNumber | Nested[];

export interface LossEntry {
  value: JsonNumber;
  grad?: Nested;
}

interface CaseBase {
  name: string;
  note?: string;
  losses: Record<string, LossEntry>;
  metrics: Record<string, Nested>;
}

export interface BinaryCase extends CaseBase {
  /** [B, H, W] */
  shape: [number, number, number];
  logits: number[][];
  target: number[][];
}

export interface MulticlassCase extends CaseBase {
  /** [B, C, H, W] */
  shape: [number, number, number, number];
  ignore_index: number | null;
  logits: number[][][];
  labels: number[][];
}

export interface VectorFile {
  binary_cases?: BinaryCase[];
  multiclass_cases?: MulticlassCase[];
}

/** JSON numbers, with the reference's "nan" / "inf" / "-inf" strings turned back into numbers. */
export function toNumber(x: JsonNumber): number {
  if (typeof x === 'number') return x;
  const s = x.trim().toLowerCase();
  if (s === 'nan') return NaN;
  if (s === 'inf' || s === 'infinity') return Infinity;
  if (s === '-inf' || s === '-infinity') return -Infinity;
  return Number(s);
}

export function flatten(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [toNumber(x)];
}

/** Rejects a file that is not in the schema, with the place it goes wrong. */
export function checkVectorFile(doc: unknown): VectorFile {
  if (typeof doc !== 'object' || doc === null) throw new Error('vectors: the file is not a JSON object');
  const d = doc as VectorFile;
  if (!Array.isArray(d.binary_cases) && !Array.isArray(d.multiclass_cases)) {
    throw new Error('vectors: expected "binary_cases" and/or "multiclass_cases" arrays');
  }
  const check = (c: BinaryCase | MulticlassCase, where: string, rank: number) => {
    if (!Array.isArray(c.shape) || c.shape.length !== rank) throw new Error(`${where}.shape: expected ${rank} dimensions`);
    if (typeof c.losses !== 'object' || typeof c.metrics !== 'object') throw new Error(`${where}: needs "losses" and "metrics"`);
  };
  d.binary_cases?.forEach((c, i) => check(c, `binary_cases[${i}]`, 3));
  d.multiclass_cases?.forEach((c, i) => check(c, `multiclass_cases[${i}]`, 4));
  return d;
}

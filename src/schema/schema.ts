import * as v from 'valibot';

/**
 * The one schema of every setting: experiment fields, view settings and each loss's options are tables of these
 * entries. The TypeScript types (`Infer`), the strict parser (`parseFields`, for config files and the worker), the
 * lenient parser (`readFieldText`, for URLs) and the inputs (label, range, scale, help) all read them.
 */
interface Described<K extends string> {
  key: K;
  label: string;
  help: string;
  /** The query-string name when it differs from the key. */
  url?: string;
  /** Rarely changed: the compact editors leave it out (URLs and config files still hold it). */
  advanced?: boolean;
  /** Means something only for multi-class data: hidden from binary editors. */
  multiclassOnly?: boolean;
  /** Describes the synthetic images only: the editors hide it when the data is imported. */
  syntheticOnly?: boolean;
  /** Applies to a race under way from its next step, without a new race (the optimiser's rate, momentum, clipping). */
  live?: boolean;
  /**
   * How a value reads in a run's name (app/describeLoss.ts): the words for an exact value (an enum's option,
   * `true`/`false`, a number, `none` for an absent or null value), else the `{}` entry with the value put in.
   */
  words?: Readonly<Record<string, string>>;
}

export type Field<K extends string = string> = Described<K> &
  (
    | { kind: 'number'; min: number; max: number; default: number | undefined; scale?: 'linear' | 'log' }
    | {
        kind: 'nullableNumber';
        min: number;
        max: number;
        default: number | null;
        /** What null means, e.g. 'as fast as it goes'. */ offText?: string;
      }
    | { kind: 'int'; min: number; max: number; default: number }
    | { kind: 'enum'; options: readonly string[]; default: string }
    | { kind: 'boolean'; default: boolean }
    /** Free text of at most `maxLength` characters (a name or an address): the editors show it, never edit it. */
    | { kind: 'text'; default: string; maxLength: number }
    | { kind: 'numberList'; min: number; max: number; default: undefined }
    | { kind: 'intList'; min: number; max: number; default: undefined }
  );

export type NumericField = Extract<Field, { min: number }>;

type ValueOf<F> = F extends { kind: 'number' | 'int' }
  ? number
  : F extends { kind: 'nullableNumber' }
    ? number | null
    : F extends { kind: 'enum'; options: readonly (infer O)[] }
      ? O
      : F extends { kind: 'boolean' }
        ? boolean
        : F extends { kind: 'text' }
          ? string
          : number[];

/** A field whose default is "absent" is an optional property of the settings object. */
type IsOptional<F> = F extends { default: undefined } ? true : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The settings object a field table describes. */
export type Infer<F extends readonly Field[]> = Simplify<
  { [D in F[number] as IsOptional<D> extends true ? never : D['key']]: ValueOf<D> } & {
    [D in F[number] as IsOptional<D> extends true ? D['key'] : never]?: ValueOf<D>;
  }
>;

/** A setting that cannot be used; the message starts with the field's path (e.g. `losses[1].gamma`). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Validates one value against its field; returns the value or throws with the field's path. */
export function checkField(def: Field, value: unknown, path: string, Err: typeof ConfigError = ConfigError): unknown {
  const bad = (want: string) => new Err(`${path}: expected ${want}, got ${JSON.stringify(value) ?? String(value)}`);
  const inRange = (x: number) => 'min' in def && x >= def.min && x <= def.max;
  const range = 'min' in def ? `in [${def.min}, ${def.max}]` : '';
  switch (def.kind) {
    case 'number':
      if (!isNum(value) || !inRange(value)) throw bad(`a number ${range}`);
      return value;
    case 'nullableNumber':
      if (value === null) return null;
      if (!isNum(value) || !inRange(value)) throw bad(`null or a number ${range}`);
      return value;
    case 'int':
      if (!isNum(value) || !Number.isInteger(value) || !inRange(value)) throw bad(`an integer ${range}`);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !def.options.includes(value)) throw bad(`one of ${def.options.map((o) => `'${o}'`).join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'text':
      if (typeof value !== 'string' || value.length > def.maxLength) throw bad(`text of at most ${def.maxLength} characters`);
      return value;
    case 'numberList':
    case 'intList': {
      const intOnly = def.kind === 'intList';
      const ok =
        Array.isArray(value) && value.length > 0 && value.every((x) => isNum(x) && inRange(x) && (!intOnly || Number.isInteger(x)));
      if (!ok) throw bad(`a non-empty list of ${intOnly ? 'integers' : 'numbers'} ${range}`);
      return value;
    }
  }
}

/** Every field at its default (optional fields absent). */
export function defaultsOf<const F extends readonly Field[]>(fields: F): Infer<F> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.default !== undefined) out[f.key] = f.default;
  return out as Infer<F>;
}

/** A table's field by its key, typed as that field: a control reads its range and label from here, never a copy. */
export function fieldOf<const F extends readonly Field[], K extends F[number]['key']>(fields: F, key: K): Extract<F[number], { key: K }> {
  const found = fields.find((f) => f.key === key);
  if (!found) throw new Error(`No field ${key} in this table`);
  return found as Extract<F[number], { key: K }>;
}

/**
 * The strict parser: unknown keys and bad values are a ConfigError naming the field (`path` prefixes the
 * names), absent ones take their defaults.
 */
export function parseFields<const F extends readonly Field[]>(
  fields: F,
  input: unknown,
  path: string,
  Err: typeof ConfigError = ConfigError,
  ignore: readonly string[] = [],
): Infer<F> {
  const prefix = path ? `${path}.` : '';
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Err(`${path || 'config'}: expected an object`);
  const obj = input as Record<string, unknown>;
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(obj)) {
    if (!known.has(key) && !ignore.includes(key)) throw new Err(`${prefix}${key}: unknown setting; known: ${[...known].join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const given = obj[f.key];
    if (given !== undefined) out[f.key] = checkField(f, given, `${prefix}${f.key}`, Err);
    else if (f.default !== undefined) out[f.key] = f.default;
  }
  return out as Infer<F>;
}

const finite = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.transform(Number), v.number(), v.finite());

/** How one field is written in a query string. */
function textSchema(def: Field) {
  switch (def.kind) {
    case 'number':
    case 'int':
      return finite;
    case 'nullableNumber':
      return v.union([
        v.pipe(
          v.string(),
          v.picklist(['off', 'none', 'null']),
          v.transform(() => null),
        ),
        finite,
      ]);
    case 'enum':
      return v.pipe(v.string(), v.picklist(def.options as string[]));
    case 'boolean':
      return v.pipe(
        v.string(),
        v.picklist(['1', '0', 'true', 'false']),
        v.transform((s) => s === '1' || s === 'true'),
      );
    case 'text':
      return v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(def.maxLength));
    case 'numberList':
    case 'intList':
      return v.pipe(
        v.string(),
        v.transform((s) => s.split('|').map(Number)),
        v.array(v.pipe(v.number(), v.finite())),
        v.minLength(1),
      );
  }
}

function describeWant(def: Field): string {
  if (def.kind === 'enum') return `one of ${def.options.join(', ')}`;
  if (def.kind === 'boolean') return '1 or 0';
  if (def.kind === 'text') return `text of 1 to ${def.maxLength} characters`;
  if (def.kind === 'nullableNumber') return `off or a number in [${def.min}, ${def.max}]`;
  return `${def.kind === 'int' || def.kind === 'intList' ? 'an integer' : 'a number'} in [${def.min}, ${def.max}]`;
}

/** A value as a query string writes it: `off` for null, `|` between list items. */
export const fieldText = (x: unknown): string => (x === null ? 'off' : Array.isArray(x) ? x.join('|') : String(x));

/** Shortens what a user typed before it is quoted back in a message. */
export const shorten = (raw: string, max = 40): string => (raw.length > max ? `${raw.slice(0, max)}…` : raw);

/**
 * The lenient parser (URLs): out-of-range numbers are clamped (and integers rounded); anything unparseable gives
 * the fallback. Either way a correction is recorded in words, with `name` as the user wrote it.
 */
export function readFieldText(def: Field, raw: string, name: string, fallback: unknown, corrections: string[]): unknown {
  const parsed = v.safeParse(textSchema(def), raw);
  if (!parsed.success) {
    corrections.push(`${name}=${shorten(raw)} is not ${describeWant(def)}; using ${fieldText(fallback)}`);
    return fallback;
  }
  const value: unknown = parsed.output;
  if (!('min' in def)) return value;
  const whole = def.kind === 'int' || def.kind === 'intList';
  const fix = (x: number) => Math.min(def.max, Math.max(def.min, whole ? Math.round(x) : x));
  if (typeof value === 'number') {
    const clamped = fix(value);
    if (clamped !== value)
      corrections.push(
        `${name}=${shorten(raw)} is outside [${def.min}, ${def.max}]${def.kind === 'int' ? ' or not whole' : ''}; using ${clamped}`,
      );
    return clamped;
  }
  if (Array.isArray(value)) {
    const fixed = value.map(fix);
    if (fixed.some((x, i) => x !== value[i]))
      corrections.push(`${name}=${shorten(raw)} has values outside [${def.min}, ${def.max}]; using ${fixed.join('|')}`);
    return fixed;
  }
  return value;
}

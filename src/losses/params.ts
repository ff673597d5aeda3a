/** Declarative option schema of a loss: the UI draws its editor, the URL and config parsers validate with it. */
export type ParamDef =
  | { key: string; label: string; kind: 'number'; min: number; max: number; default: number; scale?: 'linear' | 'log'; help: string; optional?: false }
  | { key: string; label: string; kind: 'number'; min: number; max: number; default: undefined; scale?: 'linear' | 'log'; help: string; optional: true }
  | { key: string; label: string; kind: 'nullableNumber'; min: number; max: number; default: number | null; help: string }
  | { key: string; label: string; kind: 'int'; min: number; max: number; default: number; help: string }
  | { key: string; label: string; kind: 'enum'; options: readonly string[]; default: string; help: string }
  | { key: string; label: string; kind: 'boolean'; default: boolean; help: string }
  | { key: string; label: string; kind: 'numberList'; min: number; max: number; default: undefined; help: string }
  | { key: string; label: string; kind: 'intList'; min: number; max: number; default: undefined; help: string };

/** A setting that cannot be used; the message starts with the field's path (e.g. `losses[1].gamma`). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A ConfigError inside a loss's options. */
export class LossConfigError extends ConfigError {
  override name = 'LossConfigError';
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Validates one option value against its definition; returns the value or throws with the field's path. */
export function checkParam(def: ParamDef, value: unknown, path: string, Err: typeof ConfigError = LossConfigError): unknown {
  const bad = (want: string) =>
    new Err(`${path}: expected ${want}, got ${JSON.stringify(value) ?? String(value)}`);
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
    case 'numberList':
    case 'intList': {
      const intOnly = def.kind === 'intList';
      const ok =
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((x) => isNum(x) && inRange(x) && (!intOnly || Number.isInteger(x)));
      if (!ok) throw bad(`a non-empty list of ${intOnly ? 'integers' : 'numbers'} ${range}`);
      return value;
    }
  }
}

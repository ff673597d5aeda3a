import type { NumericField } from '../src/schema/schema';

/** What a typed field means: a value to commit, or a reason it cannot be used (the setting keeps its last value). */
export type FieldReading = { ok: true; value: unknown } | { ok: false; message: string };

/** Whether the reader's locale writes 1.5 as "1,5"; then a comma in a number field is its decimal separator. */
export function localeUsesDecimalComma(locale?: string): boolean {
  const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
  return parts.find((p) => p.type === 'decimal')?.value === ',';
}

// Plain decimal notation only: Number() would also take "0x10", "Infinity" and "1e", none of which a person
// typing a learning rate means.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const fmt = (x: number) => String(x);

function readNumber(raw: string, def: NumericField, decimalComma: boolean): FieldReading {
  let t = raw.trim();
  if (t === '') return { ok: false, message: 'Enter a number.' };
  const whole = def.kind === 'int' || def.kind === 'intList';
  if (t.includes(',')) {
    if (whole) return { ok: false, message: 'Enter a whole number.' };
    if (!decimalComma || !/^[+-]?\d*,\d+(e[+-]?\d+)?$/i.test(t)) {
      return { ok: false, message: decimalComma ? `“${raw}” is not a number.` : `Write decimals with a point: ${t.replace(',', '.')}.` };
    }
    t = t.replace(',', '.');
  }
  if (!DECIMAL.test(t)) return { ok: false, message: `“${raw}” is not a number${/^[+-]?0x/i.test(t) ? ' in decimal notation' : ''}.` };
  const x = Number(t);
  if (!Number.isFinite(x)) return { ok: false, message: `“${raw}” is too large.` };
  if (whole && !Number.isInteger(x)) return { ok: false, message: `Enter a whole number.` };
  if (x < def.min || x > def.max) return { ok: false, message: `Enter a number from ${fmt(def.min)} to ${fmt(def.max)}.` };
  return { ok: true, value: x };
}

/** Reads a number field's text against its setting's schema entry. */
export function readFieldText(def: NumericField, text: string, decimalComma = false): FieldReading {
  const t = text.trim();
  if (def.kind === 'nullableNumber' && (t === '' || t.toLowerCase() === 'off')) return { ok: true, value: null };
  if (def.kind === 'numberList' || def.kind === 'intList') {
    if (t === '') return { ok: true, value: undefined };
    const items = t.split(decimalComma ? /[|;\s]+/ : /[|;,\s]+/).filter(Boolean);
    const values: number[] = [];
    for (const item of items) {
      const r = readNumber(item, def, decimalComma);
      if (!r.ok) return r;
      values.push(r.value as number);
    }
    return { ok: true, value: values };
  }
  if (t === '' && def.kind === 'number' && def.default === undefined) return { ok: true, value: undefined };
  return readNumber(text, def, decimalComma);
}

import { useEffect, useId, useState } from 'react';
import type { ParamDef } from '../src/losses/params';

const fmt = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v));

/**
 * One setting's control, drawn from its schema entry: a select for choices, a checkbox for switches, a number
 * field (clamped to the range on commit) otherwise. Numbers commit on blur or Enter, so typing is not fought.
 */
export function ParamInput({ def, value, onChange, disabled }: { def: ParamDef; value: unknown; onChange: (v: unknown) => void; disabled?: boolean }) {
  const id = useId();
  const [text, setText] = useState(fmt(value));
  useEffect(() => setText(fmt(value)), [value]);

  if (def.kind === 'enum') {
    return (
      <label className="param" htmlFor={id} title={def.help}>
        <span>{def.label}</span>
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
          {def.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
    );
  }
  if (def.kind === 'boolean') {
    return (
      <label className="param param-check" htmlFor={id} title={def.help}>
        <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} disabled={disabled} />
        <span>{def.label}</span>
      </label>
    );
  }
  const commit = () => {
    const t = text.trim();
    if (def.kind === 'numberList' || def.kind === 'intList') {
      if (t === '') return onChange(undefined);
      const xs = t.split(/[|,\s]+/).map(Number).filter(Number.isFinite).map((x) => Math.min(def.max, Math.max(def.min, def.kind === 'intList' ? Math.round(x) : x)));
      return xs.length ? onChange(xs) : setText(fmt(value));
    }
    if (def.kind === 'nullableNumber' && (t === '' || t === 'off')) return onChange(null);
    if (t === '' && 'optional' in def && def.optional) return onChange(undefined);
    const n = Number(t);
    if (!Number.isFinite(n)) return setText(fmt(value));
    const clamped = Math.min(def.max, Math.max(def.min, def.kind === 'int' ? Math.round(n) : n));
    setText(fmt(clamped));
    onChange(clamped);
  };
  const placeholder = def.kind === 'nullableNumber' ? 'off' : def.kind === 'numberList' || def.kind === 'intList' ? 'e.g. 1|2' : undefined;
  return (
    <label className="param" htmlFor={id} title={def.help}>
      <span>{def.label}</span>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        disabled={disabled}
      />
    </label>
  );
}

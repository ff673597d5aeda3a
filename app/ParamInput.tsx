import { useEffect, useId, useState } from 'react';
import type { Field } from '../src/schema/schema';
import { localeUsesDecimalComma, readFieldText } from './fieldText';
import './ParamInput.css';

const decimalComma = localeUsesDecimalComma(typeof navigator === 'undefined' ? undefined : navigator.language);

const fmt = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v));

/**
 * One setting's control, drawn from its schema entry: a select for choices, a checkbox for switches, a number
 * field otherwise. Numbers commit on blur or Enter, so typing is not fought; an entry that is not a usable value
 * keeps the setting as it was and says why beside the field.
 */
export function ParamInput({
  def,
  value,
  onChange,
  disabled,
}: {
  def: Field;
  value: unknown;
  onChange: (v: unknown) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const [text, setText] = useState(fmt(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(fmt(value));
    setError(null);
  }, [value]);

  if (def.kind === 'enum') {
    return (
      <label className="param" htmlFor={id} title={def.help}>
        <span>{def.label}</span>
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
          {def.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
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
  if (def.kind === 'text') {
    // A name or an address (the data source) is set by what it names (an import, a link), not typed here.
    return (
      <label className="param" htmlFor={id} title={def.help}>
        <span>{def.label}</span>
        <input id={id} type="text" value={fmt(value)} readOnly disabled={disabled} />
      </label>
    );
  }
  const commit = () => {
    const reading = readFieldText(def, text, decimalComma);
    if (!reading.ok) return setError(reading.message);
    setError(null);
    if (typeof reading.value === 'number') setText(fmt(reading.value));
    onChange(reading.value);
  };
  const placeholder =
    def.kind === 'nullableNumber' ? (def.offText ?? 'off') : def.kind === 'numberList' || def.kind === 'intList' ? 'e.g. 1|2' : undefined;
  return (
    <>
      <label className="param" htmlFor={id} title={def.help}>
        <span>{def.label}</span>
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={text}
          placeholder={placeholder}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? errorId : undefined}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          disabled={disabled}
        />
      </label>
      {error !== null && (
        <p className="param-error" id={errorId}>
          {error} Keeping {value === undefined ? 'the default' : fmt(value) || 'off'}.
        </p>
      )}
    </>
  );
}

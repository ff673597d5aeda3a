import { useEffect, useId, useState } from 'react';
import { logit, P_MAX, P_MIN, sigmoid, Z_LIMIT } from '../../src/analytic/surface';

const PRESETS = [0.0001, 0.01, 0.1, 0.5, 0.51, 0.9, 0.99];
/** 0.0001, 0.25, 0.9999: short, and exact at both ends (where 1 − p is what matters). */
export const formatP = (p: number) => (p > 0.999 ? String(1 - Number((1 - p).toPrecision(2))) : String(Number(p.toPrecision(p < 0.001 ? 2 : 3))));
/** Slider positions rounded to 4 significant digits, so the URL and the readouts stay readable. */
const fromLogit = (z: number) => Math.min(P_MAX, Math.max(P_MIN, Number(sigmoid(z).toPrecision(4))));

/**
 * A probability slider on the logit scale, so that 0.0001 and 0.9999 are as reachable as 0.5, with a typed
 * value and clickable presets (a slider cannot hit every value). Arrows, Page Up/Down, Home/End work natively.
 */
export function LogitSlider({ label, value, onChange }: { label: string; value: number; onChange: (p: number) => void }) {
  const id = useId();
  const [text, setText] = useState(formatP(value));
  useEffect(() => setText(formatP(value)), [value]);
  const commit = () => {
    const p = Number(text);
    if (Number.isFinite(p)) onChange(Math.min(P_MAX, Math.max(P_MIN, p)));
    else setText(formatP(value));
  };
  return (
    <div className="logit-slider">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          type="range"
          min={-Z_LIMIT}
          max={Z_LIMIT}
          step={0.01}
          value={logit(value)}
          aria-valuetext={`p = ${formatP(value)}`}
          onChange={(e) => onChange(fromLogit(Number(e.target.value)))}
        />
        <input
          type="text"
          inputMode="decimal"
          className="p-input"
          aria-label={`${label} (typed)`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </div>
      <div className="presets-row" role="group" aria-label={`${label} presets`}>
        {PRESETS.map((p) => (
          <button key={p} type="button" className="small" aria-pressed={Math.abs(value - p) < 1e-9} onClick={() => onChange(p)}>
            {p}
          </button>
        ))}
      </div>
    </div>
  );
}

import { useEffect, useId, useState } from 'react';

/**
 * A slider for a plain number with a typed value and clickable presets. `toSlider`/`fromSlider` map the value
 * to the slider's 0…1000 track (linear, or log-like for smoothing so that 0, 1e-5 and 10 are all reachable).
 */
export function ValueSlider({ label, value, onChange, min, max, presets, toSlider, fromSlider, format = String }: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  presets: number[];
  toSlider: (v: number) => number;
  fromSlider: (t: number) => number;
  format?: (v: number) => string;
}) {
  const id = useId();
  const [text, setText] = useState(format(value));
  useEffect(() => setText(format(value)), [value, format]);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  const commit = () => {
    const v = Number(text);
    if (text.trim() !== '' && Number.isFinite(v)) onChange(clamp(v));
    else setText(format(value));
  };
  return (
    <div className="logit-slider">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} type="range" min={0} max={1000} step={1} value={Math.round(toSlider(value))} aria-valuetext={format(value)}
          onChange={(e) => onChange(clamp(fromSlider(Number(e.target.value))))} />
        <input type="text" inputMode="decimal" className="p-input" aria-label={`${label} (typed)`} value={text}
          onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      </div>
      <div className="presets-row" role="group" aria-label={`${label} presets`}>
        {presets.map((p) => (
          <button key={p} type="button" className="small" aria-pressed={value === p} onClick={() => onChange(p)}>{p}</button>
        ))}
      </div>
    </div>
  );
}

/** Linear track between min and max. */
export const linearTrack = (min: number, max: number) => ({
  toSlider: (v: number) => ((v - min) / (max - min)) * 1000,
  fromSlider: (t: number) => Number((min + (t / 1000) * (max - min)).toPrecision(3)),
});

/** 0 at the left end, then log-spaced from `lo` to `hi`. */
export const zeroLogTrack = (lo: number, hi: number) => ({
  toSlider: (v: number) => (v <= 0 ? 0 : 20 + (980 * Math.log(Math.max(v, lo) / lo)) / Math.log(hi / lo)),
  fromSlider: (t: number) => (t < 20 ? 0 : Number((lo * (hi / lo) ** ((t - 20) / 980)).toPrecision(2))),
});

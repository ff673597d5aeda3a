import { useEffect, useId, useState } from 'react';
import './ValueSlider.css';

/** How a value maps onto the range input: its extent and step, and the mapping both ways. */
export interface SliderTrack {
  min: number;
  max: number;
  step: number;
  toSlider: (v: number) => number;
  fromSlider: (t: number) => number;
}

/**
 * A slider with a typed value and clickable presets (a slider cannot hit every value). The track maps the value
 * onto the range input: linear, log-like for smoothing (0, 1e-5 and 10 all reachable), or logit for
 * probabilities (0.0001 and 0.9999 as reachable as 0.5). Arrows, Page Up/Down, Home/End work natively.
 */
export function ValueSlider({
  label,
  value,
  onChange,
  min,
  max,
  presets,
  track,
  format = String,
  valueText = format,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  presets: readonly number[];
  track: SliderTrack;
  format?: (v: number) => string;
  valueText?: (v: number) => string;
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
    <div className="value-slider">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          type="range"
          min={track.min}
          max={track.max}
          step={track.step}
          value={track.toSlider(value)}
          aria-valuetext={valueText(value)}
          onChange={(e) => onChange(clamp(track.fromSlider(Number(e.target.value))))}
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
        {presets.map((p) => (
          <button key={p} type="button" className="small" aria-pressed={Math.abs(value - p) < 1e-9} onClick={() => onChange(p)}>
            {p}
          </button>
        ))}
      </div>
    </div>
  );
}

/** Linear from min to max over a 0…1000 track. */
export const linearTrack = (min: number, max: number): SliderTrack => ({
  min: 0,
  max: 1000,
  step: 1,
  toSlider: (v) => Math.round(((v - min) / (max - min)) * 1000),
  fromSlider: (t) => Number((min + (t / 1000) * (max - min)).toPrecision(3)),
});

/** 0 at the left end, then log-spaced from `lo` to `hi`, over a 0…1000 track. */
export const zeroLogTrack = (lo: number, hi: number): SliderTrack => ({
  min: 0,
  max: 1000,
  step: 1,
  toSlider: (v) => Math.round(v <= 0 ? 0 : 20 + (980 * Math.log(Math.max(v, lo) / lo)) / Math.log(hi / lo)),
  fromSlider: (t) => (t < 20 ? 0 : Number((lo * (hi / lo) ** ((t - 20) / 980)).toPrecision(2))),
});

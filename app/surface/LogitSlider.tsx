import { logit, P_MAX, P_MIN, sigmoid, Z_LIMIT } from '../../src/analytic/surface';
import { ValueSlider, type SliderTrack } from './ValueSlider';

const PRESETS = [0.0001, 0.01, 0.1, 0.5, 0.51, 0.9, 0.99];
/** 0.0001, 0.25, 0.9999: short, and exact at both ends (where 1 − p is what matters). */
export const formatP = (p: number) =>
  p > 0.999 ? String(1 - Number((1 - p).toPrecision(2))) : String(Number(p.toPrecision(p < 0.001 ? 2 : 3)));
const pText = (p: number) => `p = ${formatP(p)}`;

/** The logit scale; positions are rounded to 4 significant digits, so the URL and the readouts stay readable. */
const LOGIT_TRACK: SliderTrack = {
  min: -Z_LIMIT,
  max: Z_LIMIT,
  step: 0.01,
  toSlider: logit,
  fromSlider: (z) => Number(sigmoid(z).toPrecision(4)),
};

/** A probability slider on the logit scale, so that 0.0001 and 0.9999 are as reachable as 0.5. */
export function LogitSlider({ label, value, onChange }: { label: string; value: number; onChange: (p: number) => void }) {
  return (
    <ValueSlider
      label={label}
      value={value}
      onChange={onChange}
      min={P_MIN}
      max={P_MAX}
      presets={PRESETS}
      track={LOGIT_TRACK}
      format={formatP}
      valueText={pText}
    />
  );
}

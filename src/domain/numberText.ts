// How the page and the command line write a measured number and a size in bytes, written once.

/** How `sci` writes a number: plain digits for magnitudes in [smallest, largest), exponent form outside. */
export interface SciStyle {
  /** Significant digits of the plain form. */
  digits: number;
  /** Digits after the point of the exponent form (1.2e-5 has 1). */
  exponentDigits: number;
  /** The smallest magnitude written in plain digits. */
  smallest: number;
  /** The magnitude from which the exponent form takes over again. */
  largest: number;
  /** Drop the plain form's trailing zeros (0.50 → 0.5), as a tick label does. */
  trim: boolean;
}

const SCI: SciStyle = { digits: 3, exponentDigits: 2, smallest: 0.01, largest: 1000, trim: false };

/** A number that may span many decades (a loss, a gradient): '0', plain digits, or the exponent form; '–' when not finite. */
export function sci(v: number, style: Partial<SciStyle> = {}): string {
  const { digits, exponentDigits, smallest, largest, trim } = { ...SCI, ...style };
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  if (magnitude < smallest || magnitude >= largest) return v.toExponential(exponentDigits);
  const plain = v.toPrecision(digits);
  return trim ? String(Number(plain)) : plain;
}

/** `sci` with a style, as a one-argument formatter (an axis's tick format, a table's cells). */
export const sciFormat =
  (style: Partial<SciStyle>) =>
  (v: number): string =>
    sci(v, style);

/** A size in bytes, in decimal units: '1.4 GB', '37 MB', '252 kB'. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** A number as a WGSL float literal (an integer needs its point: \`2\` is an i32 there). */
export const wgslFloat = (v: number): string => (Number.isInteger(v) ? `${v}.0` : v.toExponential());

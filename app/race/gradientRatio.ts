// How two gradients compare, in words: beside the race's gradient chart (live) and under the analytic view's
// readout. The race's line always says which gradient is the larger and by how much, so it never prints "0.0×"
// once the smaller one has caught up and overtaken.

/**
 * A ratio of at least 1 as a readout prints it: whole numbers from 10 up, `decimals` below (one in the race's
 * live line, two under the analytic view's table, whose toy is exact).
 */
export const ratioText = (ratio: number, decimals = 1): string => (ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(decimals));

/**
 * "Now −log IoU’s gradient is 120× 1 − IoU’s.", the larger over the smaller; "about the same" within 5 %; empty
 * while either gradient is unknown, not finite or zero (a ratio to zero has no size).
 */
export function gradientComparison(a: { name: string; grad: number }, b: { name: string; grad: number }): string {
  if (!(a.grad > 0 && b.grad > 0 && Number.isFinite(a.grad) && Number.isFinite(b.grad))) return '';
  const [big, small] = a.grad >= b.grad ? [a, b] : [b, a];
  const ratio = big.grad / small.grad;
  if (ratio < 1.05) return `Now ${a.name}’s and ${b.name}’s gradients are about the same size.`;
  return `Now ${big.name}’s gradient is ${ratioText(ratio)}× ${small.name}’s.`;
}

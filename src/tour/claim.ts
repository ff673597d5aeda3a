// A claim the tour makes, in code: what the text says, how to measure it, and the bound it must hold. The same
// bound is what the text prints, so prose and product cannot drift apart. `npm run tour:verify` checks them all.
import type { LandscapeResult } from '../landscape/raceLandscape';
import type { RunHistory } from '../train/history';

interface ClaimBase {
  /** Stable within its chapter: the verify output and the tests name it. */
  id: string;
  /** The measured quantity, in words ("1 − IoU's validation IoU after 300 steps"). */
  says: string;
  /** Holds when the measure is above this... */
  above?: number;
  /** ...and below this. */
  below?: number;
  /** The text says it in words ("exactly the same") rather than printing a number. */
  inWords?: true;
  /**
   * The value the text prints ("0.91"): measured by `npm run tour:verify` on wasm and written here. The claim
   * holds only when the measure is within `tolerance` of it as well as inside the bound, so the prose cannot go
   * stale. Without it the text prints the bound.
   */
  shown?: number;
  /** How far the measure may be from `shown`; by default one unit in its last printed decimal (0.01 for 0.91), 5 % from 100 up. */
  tolerance?: number;
  /** Decimals to print `shown` with where its trailing zeros count ("0.90", not "0.9"). */
  decimals?: number;
}

/** Measured on the chapter's race, trained in Node on wasm from the chapter's config (its `steps`). */
export interface RaceClaim extends ClaimBase {
  kind: 'race';
  measure: (runs: readonly RunHistory[]) => number;
}

/** Measured directly on the analytic view's closed forms or metrics, in float64. */
export interface AnalyticClaim extends ClaimBase {
  kind: 'analytic';
  measure: () => number;
}

/**
 * Measured on the landscape of the chapter's race after training it (the figure's `landscape` settings). Its own
 * property name: a third `measure` signature would leave the other claims' untyped (TypeScript cannot merge them).
 */
export interface LandscapeClaim extends ClaimBase {
  kind: 'landscape';
  measureLandscape: (landscape: LandscapeResult) => number;
}

export type Claim = RaceClaim | AnalyticClaim | LandscapeClaim;

export interface ClaimOutcome {
  value: number;
  held: boolean;
}

/** How far a measure may be from the value the text prints: one unit in its last decimal, or 5 % from 100 up. */
export function shownTolerance(claim: Pick<ClaimBase, 'shown' | 'tolerance' | 'decimals'>): number {
  if (claim.tolerance !== undefined) return claim.tolerance;
  const x = Math.abs(claim.shown ?? 0);
  if (x >= 100) return 0.05 * x;
  const decimals = claim.decimals ?? (String(x).split('.')[1] ?? '').length;
  return 10 ** -decimals;
}

export function judge(claim: Claim, value: number): ClaimOutcome {
  const inBound =
    Number.isFinite(value) && (claim.above === undefined || value > claim.above) && (claim.below === undefined || value < claim.below);
  const asShown = claim.shown === undefined || Math.abs(value - claim.shown) <= shownTolerance(claim) + 1e-12;
  return { value, held: inBound && asShown };
}

/** The value as the text prints it: "0.91", "0.0003", "−0.89" (a minus sign), "10 000" (thousands grouped by a narrow space that never breaks the line). */
export function shownText(claim: Pick<ClaimBase, 'shown' | 'decimals'>): string {
  const x = claim.shown;
  if (x === undefined) throw new Error('this claim prints no value');
  if (Math.abs(x) < 1000) return (claim.decimals !== undefined ? x.toFixed(claim.decimals) : String(x)).replace('-', '−');
  return Math.round(x)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** What the text prints for a claim: its measured value where it has one, else its bound. */
export const claimText = (claim: Pick<ClaimBase, 'shown' | 'decimals' | 'above' | 'below'>): string =>
  claim.shown !== undefined ? shownText(claim) : boundText(claim);

/** The bound as the text says it: "< 0.05", "> 0.7", "between 0.2 and 0.4". */
export function boundText(claim: Pick<Claim, 'above' | 'below'>): string {
  if (claim.above !== undefined && claim.below !== undefined) return `between ${claim.above} and ${claim.below}`;
  return claim.below !== undefined ? `< ${claim.below}` : `> ${claim.above}`;
}

/** One line of `npm run tour:verify`. */
export function outcomeLine(chapter: string, claim: Claim, outcome: ClaimOutcome): string {
  const v =
    Math.abs(outcome.value) >= 1e4 || (outcome.value !== 0 && Math.abs(outcome.value) < 1e-3)
      ? outcome.value.toExponential(2)
      : outcome.value.toFixed(3);
  const shown = claim.shown !== undefined ? `, the text says ${shownText(claim)} ± ${shownTolerance(claim)}` : '';
  return `${outcome.held ? 'held  ' : 'FAILED'} ${chapter}/${claim.id}: ${claim.says} ${boundText(claim)} (measured ${v}${shown})`;
}

/** The largest minus the smallest finite value. */
export const spread = (xs: readonly number[]): number => {
  const finite = xs.filter(Number.isFinite);
  return Math.max(...finite) - Math.min(...finite);
};

/** A run's validation IoU at `step` (NaN when it was not evaluated then). */
export const valIoUAt = (h: RunHistory, step: number): number => h.val.iou[h.val.step.indexOf(step)] ?? NaN;

/** The largest value of a per-step series over the first `steps` steps. */
export const maxOver = (series: readonly number[], steps: number): number => Math.max(...series.slice(0, steps));

/** The mean of a per-step series over its last `steps` steps. */
export const meanOfLast = (series: readonly number[], steps: number): number => {
  const tail = series.slice(-steps);
  return tail.reduce((a, x) => a + x, 0) / tail.length;
};

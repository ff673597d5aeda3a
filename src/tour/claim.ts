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
  /** The text says it in words ("exactly the same") rather than printing the bound. */
  inWords?: true;
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

export function judge(claim: Claim, value: number): ClaimOutcome {
  const held =
    Number.isFinite(value) && (claim.above === undefined || value > claim.above) && (claim.below === undefined || value < claim.below);
  return { value, held };
}

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
  return `${outcome.held ? 'held  ' : 'FAILED'} ${chapter}/${claim.id}: ${claim.says} ${boundText(claim)} (measured ${v})`;
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

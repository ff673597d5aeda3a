// What the landscape's check (landscapeCheck.ts) reports and the bound it is judged by: the page shows both, and
// reads them from here because the check itself loads tfjs, which the page's main thread never does.

/** The largest relative difference a check passes with. */
export const LANDSCAPE_CHECK_TOLERANCE = 1e-4;

export interface LandscapeCheckResult {
  backend: string;
  points: number;
  /** The largest |BCE − float64 BCE| / float64 BCE over every point of every net. */
  worstRelative: number;
  /** Points whose hard IoU differs from the float64 one (a logit within rounding of 0 may flip a pixel). */
  iouMismatches: number;
  ok: boolean;
}

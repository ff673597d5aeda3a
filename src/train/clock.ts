/**
 * The one clock of the live race. The page redraws at most once per DRAW_INTERVAL_MS, whatever the worker's pace
 * (GAN Lab's "train often, draw steadily"): a redraw of charts, readouts and counter costs about 10 ms of
 * main-thread work on a 2-core machine, and ten a second still reads as live motion. The training speed is a
 * number of steps per second; nothing assumes a display frame rate.
 */
export const DRAW_INTERVAL_MS = 100;

/** The worker sends what it has trained twice per draw, so every draw shows steps at most half an interval old. */
export const POST_INTERVAL_MS = DRAW_INTERVAL_MS / 2;

/** Steps the worker may run between two posts at a cap of `maxStepsPerSecond` (null: no cap). */
export function stepsPerPost(maxStepsPerSecond: number | null, uncapped: number): number {
  return maxStepsPerSecond === null ? uncapped : Math.max(1, Math.floor((maxStepsPerSecond * POST_INTERVAL_MS) / 1000));
}

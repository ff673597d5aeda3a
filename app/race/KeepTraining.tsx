import { useRaceStore, type RaceControls } from './useRace';
import './KeepTraining.css';

/**
 * Where a race stands against the step its claims are measured at: before it, stopped on it (where the claims
 * hold), or past it (the reader chose to keep training). null: the race has no measured step.
 */
export type MeasuredStage = 'before' | 'at' | 'past' | null;

export function useMeasuredStage(race: RaceControls): MeasuredStage {
  const store = useRaceStore(race.store);
  const at = race.measuredStep;
  if (at === null) return null;
  if (store.step < at) return 'before';
  return store.step === at && !store.playing ? 'at' : 'past';
}

/** Play from the measured step: the session stops there only when it gets there from below, so this trains on. */
export function KeepTrainingButton({ race }: { race: RaceControls }) {
  return (
    <button type="button" className="primary small" onClick={race.play} disabled={!race.ready}>
      Keep training →
    </button>
  );
}

/**
 * A chapter's race stopped at its measured step: "Keep training" to go on; past it, the sentence that says what
 * happens next (the chapter's `after`, whose numbers tour:verify checks on the race trained further).
 */
export function MeasuredStepNote({ race, after }: { race: RaceControls; after?: string }) {
  const stage = useMeasuredStage(race);
  if (stage === 'at') {
    return (
      <p className="measured-note" role="status" data-testid="measured-note">
        <span>Stopped at step {race.measuredStep}, where the chapter’s numbers are measured.</span> <KeepTrainingButton race={race} />
      </p>
    );
  }
  if (stage === 'past') {
    return (
      <p className="measured-note" role="status" data-testid="measured-note">
        <strong>Past step {race.measuredStep}:</strong> {after ?? 'the chapter’s numbers were measured at the marked step.'}
      </p>
    );
  }
  return null;
}

import { useId, useMemo } from 'react';
import { parseExperimentConfig, taskOf, type ExperimentInput } from '../../src/config/experimentConfig';
import { runNames } from '../describeLoss';
import { InYourCode } from './InYourCode';

/** "In your code" for each loss of a race (a tour chapter's figure): the code to take home after the chapter. */
export function RaceCode({ config }: { config: ExperimentInput }) {
  const race = useMemo(() => parseExperimentConfig(config), [config]);
  const task = taskOf(race.data.classes);
  // The names the race's legends give these runs.
  const names = runNames(race.losses, task);
  const title = useId();
  return (
    <section className="card race-code" aria-labelledby={title}>
      <h3 id={title}>In your code</h3>
      <p className="hint">Each loss of this race as a library call, a PyTorch function and this project’s own loss, ready to copy.</p>
      {race.losses.map((spec, i) => (
        <InYourCode key={i} title={names[i]} choices={[{ task, spec }]} />
      ))}
    </section>
  );
}

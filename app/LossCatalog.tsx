import { zooInput } from '../src/code/takeHome';
import { LOSSES, resolveLoss } from '../src/losses/registry';
import { lossAnchor } from '../src/tour/glossary';
import { TeX } from './TeX';
import { InYourCode } from './code/InYourCode';
import './LossCatalog.css';

const TASK_LABEL = { binary: 'binary', multiclass: 'multi-class' } as const;

/** The loss zoo as the registry describes it: formula, when it helps or hurts, options. */
export function LossCatalog() {
  return (
    <section className="card" aria-labelledby="zoo-title">
      <h2 id="zoo-title">The loss zoo</h2>
      <ul className="zoo">
        {LOSSES.map((l) => (
          <li key={l.id} id={lossAnchor(l.id)} className="zoo-item">
            <h3>
              {l.name} <code className="zoo-id">{l.id}</code>
            </h3>
            <TeX source={l.formula} display />
            <p>{l.about}</p>
            <p className="zoo-meta">
              {l.tasks.map((t) => TASK_LABEL[t]).join(' · ')}
              {l.params.length > 0 && <> · options: {l.params.map((p) => p.label).join(', ')}</>}
            </p>
            <InYourCode choices={l.tasks.map((task) => ({ task, spec: resolveLoss(zooInput(l, task)) }))} />
          </li>
        ))}
      </ul>
    </section>
  );
}

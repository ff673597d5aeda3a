import { useState } from 'react';
import { MAX_LOSSES } from '../../src/config/experimentConfig';
import type { LossSpec, Task } from '../../src/losses/lossDefinition';
import { suggestedCombo } from '../../src/losses/lesson';
import { definitionOf, LOSSES, resolveLoss } from '../../src/losses/registry';
import { ParamInput } from '../ParamInput';
import { TeX } from '../TeX';
import { InYourCode } from '../code/InYourCode';
import { lossTitle, runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import './LossList.css';

export function LossList({ losses, task, onChange }: { losses: LossSpec[]; task: Task; onChange: (l: LossSpec[]) => void }) {
  const [open, setOpen] = useState<number | null>(null);
  const combo = suggestedCombo(task);
  // The names and colours the charts give these runs, so that a card and its line are found by each other.
  const names = runNames(losses, task);
  const colors = lossColors(losses);
  // A combination is offered as one ready-made sum (its terms are not edited here).
  const available = LOSSES.filter((l) => l.tasks.includes(task) && l.id !== combo.id);
  const add = (id: string) => {
    if (!id) return;
    onChange([...losses, resolveLoss(id === combo.id ? combo : { id })]);
  };
  const setOption = (i: number, key: string, value: unknown) => {
    const next: Record<string, unknown> = { ...losses[i], [key]: value };
    if (value === undefined) delete next[key];
    onChange(losses.map((l, j) => (j === i ? resolveLoss(next) : l)));
  };
  return (
    <div className="loss-list">
      <ul>
        {losses.map((spec, i) => {
          const info = definitionOf(spec);
          const params = info.params.filter((p) => !p.advanced && !(task === 'binary' && p.multiclassOnly));
          return (
            <li key={i} className="loss-item">
              <div className="loss-head">
                <span className="swatch" style={{ background: colors[i] }} aria-hidden="true" />
                <strong>{names[i]}</strong>
                {params.length > 0 && (
                  <button type="button" className="small" aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
                    options
                  </button>
                )}
                <button
                  type="button"
                  className="small"
                  onClick={() => onChange(losses.filter((_, j) => j !== i))}
                  disabled={losses.length === 1}
                  aria-label={`Remove ${names[i]}`}
                >
                  ×
                </button>
              </div>
              <TeX source={info.formula} />
              <InYourCode choices={[{ task, spec }]} />
              {open === i && (
                <div className="loss-options">
                  {params.map((p) => (
                    <ParamInput key={p.key} def={p} value={spec[p.key]} onChange={(v) => setOption(i, p.key, v)} />
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <label className="param add-loss">
        <span>add a loss</span>
        <select value="" onChange={(e) => add(e.target.value)} disabled={losses.length >= MAX_LOSSES}>
          <option value="">{losses.length >= MAX_LOSSES ? `at most ${MAX_LOSSES}` : 'choose…'}</option>
          {available.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
          <option value={combo.id}>{lossTitle(resolveLoss(combo), task)} (combination)</option>
        </select>
      </label>
    </div>
  );
}

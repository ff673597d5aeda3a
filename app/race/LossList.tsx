import { useState } from 'react';
import { MAX_LOSSES } from '../../src/config/experimentConfig';
import { LOSSES, lossInfo, resolveLoss, type Task } from '../../src/losses/registry';
import type { LossSpec } from '../../src/losses/types';
import { ParamInput } from '../ParamInput';
import { TeX } from '../TeX';
import { RUN_COLORS } from './raceStore';

/** Hidden from the compact editor: rarely changed and clutter for a newcomer (the URL and config still hold them). */
const ADVANCED = new Set(['ignoreIndex', 'classes', 'smoothDen', 'eps']);

export function LossList({ losses, task, onChange }: { losses: LossSpec[]; task: Task; onChange: (l: LossSpec[]) => void }) {
  const [open, setOpen] = useState<number | null>(null);
  const available = LOSSES.filter((l) => l.tasks.includes(task) && l.id !== 'combo');
  const add = (id: string) => {
    if (!id) return;
    onChange([...losses, resolveLoss(id === 'combo' ? { id, terms: [{ weight: 1, loss: { id: task === 'binary' ? 'bce' : 'ce' } }, { weight: 1, loss: { id: 'logJaccard' } }] } : { id })]);
  };
  const setOption = (i: number, key: string, value: unknown) => {
    const next = { ...(losses[i] as unknown as Record<string, unknown>), [key]: value };
    if (value === undefined) delete next[key];
    onChange(losses.map((l, j) => (j === i ? resolveLoss(next as { id: string }) : l)));
  };
  return (
    <div className="loss-list">
      <ul>
        {losses.map((spec, i) => {
          const info = lossInfo(spec.id)!;
          const params = info.params.filter((p) => !ADVANCED.has(p.key) && !(task === 'binary' && ['includeBackground', 'activation', 'classReduce'].includes(p.key)));
          return (
            <li key={i} className="loss-item">
              <div className="loss-head">
                <span className="swatch" style={{ background: RUN_COLORS[i] }} aria-hidden="true" />
                <strong>{info.name}</strong>
                {params.length > 0 && (
                  <button type="button" className="small" aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
                    options
                  </button>
                )}
                <button type="button" className="small" onClick={() => onChange(losses.filter((_, j) => j !== i))} disabled={losses.length === 1}
                  aria-label={`Remove ${info.name}`}>
                  ×
                </button>
              </div>
              <TeX source={info.formula} />
              {open === i && (
                <div className="loss-options">
                  {params.map((p) => (
                    <ParamInput key={p.key} def={p} value={(spec as unknown as Record<string, unknown>)[p.key]} onChange={(v) => setOption(i, p.key, v)} />
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
          {available.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
          <option value="combo">{task === 'binary' ? 'BCE' : 'CE'} + −log IoU (combination)</option>
        </select>
      </label>
    </div>
  );
}

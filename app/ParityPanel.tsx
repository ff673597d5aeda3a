import { useState } from 'react';
import type { EngineClient } from './engineClient';
import { CheckError } from './CheckError';
import { useCheck } from './useCheck';
import type { ParitySummary } from '../src/worker/engineApi';
import './ParityPanel.css';

type Cases = 'binary' | 'multiclass' | 'all';

/** Runs the reference-vector check on the engine's backend and shows what passed and what did not. */
export function ParityPanel({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  const [cases, setCases] = useState<Cases>('all');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const { running, result: summary, error, start } = useCheck<ParitySummary>();

  const run = () => {
    if (!engine) return;
    setProgress({ done: 0, total: 1 });
    start(() => engine.api.parity(cases, (done, total) => setProgress({ done, total })).finally(() => setProgress(null)));
  };

  return (
    <section className="card" aria-labelledby="parity-title">
      <h2 id="parity-title">Reference parity</h2>
      <p>
        Every loss and metric here is checked against float64 reference values, cross-checked with segmentation_models_pytorch, MONAI,
        Berman’s Lovász code and torchmetrics: value and gradient with respect to the logits, within 10⁻⁴ relative or 10⁻⁶ absolute. Run the
        check on the backend this page uses.
      </p>
      <div className="row">
        <label>
          Cases{' '}
          <select value={cases} onChange={(e) => setCases(e.target.value as Cases)} disabled={running}>
            <option value="all">all (binary and multi-class)</option>
            <option value="binary">binary (sigmoid)</option>
            <option value="multiclass">multi-class (softmax)</option>
          </select>
        </label>
        <button type="button" onClick={run} disabled={!ready || running}>
          {running ? 'Checking…' : 'Run the check'}
        </button>
        {progress && <progress max={progress.total} value={progress.done} aria-label="Parity check progress" />}
      </div>
      {summary && (
        <div className={summary.failed ? 'result result-bad' : 'result result-good'} role="status" data-testid="parity-result">
          <strong data-testid="parity-line">{`${summary.passed} passed, ${summary.failed} failed`}</strong>
          {` on ${summary.backend} in ${summary.seconds.toFixed(1)} s`}
          {summary.failures.length > 0 && (
            <ul className="failures">
              {summary.failures.map((f) => (
                <li key={`${f.caseName}/${f.key}`}>
                  <code>{f.caseName}</code> <code>{f.key}</code>: {f.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <CheckError error={error} />
    </section>
  );
}

import { useState } from 'react';
import type { EngineClient } from './engineClient';
import { CheckError } from './CheckError';
import { useCheck } from './useCheck';
import type { EngineCheckResult } from '../src/train/engineCheck';
import { ENGINE_CHECK_STEPS } from '../src/train/engineCheckSteps';
import { ParamInput } from './ParamInput';

/** Trains the same short race on this backend and on cpu and shows how far apart the numbers end up. */
export function EngineCheckPanel({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  const { running, result, error, start } = useCheck<EngineCheckResult>();
  const [steps, setSteps] = useState<number>(ENGINE_CHECK_STEPS.default);
  const run = () => engine && start(() => engine.api.engineCheck(steps));

  const good = result !== null && result.maxRelativeDifference < 1e-3;
  return (
    <section className="card" aria-labelledby="engine-check-title">
      <h2 id="engine-check-title">Training check</h2>
      <p>
        Trains the default race (1 − IoU, −log IoU and BCE from the same weights) for a few steps on this backend and on the
        plain-JavaScript cpu backend, and compares every loss and gradient norm step by step. A GPU that computes wrong numbers shows up
        here.
      </p>
      <div className="row">
        <ParamInput def={ENGINE_CHECK_STEPS} value={steps} onChange={(v) => setSteps(Number(v))} disabled={running} />
        <button type="button" onClick={run} disabled={!ready || running}>
          {running ? 'Training on both…' : 'Compare with cpu'}
        </button>
      </div>
      {result && (
        <div
          className={good ? 'result result-good' : 'result result-bad'}
          role="status"
          data-testid="engine-check-result"
          data-max-relative-difference={result.maxRelativeDifference}
        >
          <strong>{`${result.backend} vs ${result.reference}: largest relative difference ${result.maxRelativeDifference.toExponential(1)}`}</strong>
          {` over ${result.steps} steps (at ${result.worst.loss}, ${result.worst.series === 'loss' ? 'loss' : 'gradient norm'}, step ${result.worst.step})`}
          {result.backend === result.reference && ' — this page already runs on cpu'}
        </div>
      )}
      <CheckError error={error} />
    </section>
  );
}

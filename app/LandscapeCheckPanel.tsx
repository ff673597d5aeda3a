import { useState } from 'react';
import type { EngineClient } from './engineClient';
import { LANDSCAPE_CHECK_TOLERANCE, type LandscapeCheckResult } from '../src/landscape/landscapeCheck';

/** Evaluates a small landscape slice on this backend and compares it with a float64 forward pass. */
export function LandscapeCheckPanel({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<LandscapeCheckResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = () => {
    if (!engine) return;
    setRunning(true);
    setResult(null);
    setError(null);
    engine.api
      .landscapeCheck()
      .then(setResult, (e: Error) => setError(e.message))
      .finally(() => setRunning(false));
  };

  return (
    <section className="card" aria-labelledby="landscape-check-title">
      <h2 id="landscape-check-title">Landscape check</h2>
      <p>
        Evaluates a 5 × 5 slice through the weights of a small network and of a small U-Net the way the Landscape view does, on this
        backend, and compares each point’s BCE and hard IoU with a forward pass in plain float64 JavaScript.
      </p>
      <div className="row">
        <button type="button" onClick={run} disabled={!ready || running}>
          {running ? 'Evaluating…' : 'Check the landscape'}
        </button>
      </div>
      {result && (
        <div className={result.ok ? 'result result-good' : 'result result-bad'} role="status" data-testid="landscape-check-result">
          <strong>{`${result.backend}: largest relative BCE difference ${result.worstRelative.toExponential(1)}`}</strong>
          {` over ${result.points} points (tolerance ${LANDSCAPE_CHECK_TOLERANCE.toExponential(0)}); hard IoU differs at ${result.iouMismatches}`}
        </div>
      )}
      {error && (
        <p className="result result-bad" role="alert">
          The check could not run: {error}
        </p>
      )}
    </section>
  );
}

import type { EngineClient } from './engineClient';
import { CheckError } from './CheckError';
import { useCheck } from './useCheck';
import { LANDSCAPE_CHECK_TOLERANCE, type LandscapeCheckResult } from '../src/landscape/landscapeCheckResult';

/** Evaluates a small landscape slice on this backend and compares it with a float64 forward pass. */
export function LandscapeCheckPanel({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  const { running, result, error, start } = useCheck<LandscapeCheckResult>();
  const run = () => engine && start(() => engine.api.landscapeCheck());

  return (
    <section className="card" aria-labelledby="landscape-check-title">
      <h2 id="landscape-check-title">Landscape check</h2>
      <p>
        Evaluates a 5 × 5 slice through the weights of a small network of each architecture the way the Landscape view does, on this
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
      <CheckError error={error} />
    </section>
  );
}

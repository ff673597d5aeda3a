import { useId, useState } from 'react';
import { adapterLabel } from '../src/backend/probeAdapter';
import type { BackendReport, CandidateReport } from '../src/backend/types';
import { formatBytes } from '../src/domain/numberText';
import type { EngineMemory } from '../src/worker/raceSession';
import './BackendBadge.css';

const DESCRIPTION: Record<string, string> = {
  webgpu: 'WebGPU (GPU)',
  webgl: 'WebGL (GPU)',
  wasm: 'WebAssembly (CPU)',
  cpu: 'plain JavaScript (CPU)',
};

function candidateText(c: CandidateReport): string {
  if (c.status === 'chosen') return c.adapter ? `in use: ${adapterLabel(c.adapter)}` : 'in use';
  if (c.status === 'not tried') return 'not needed: a faster backend works';
  return c.reason ?? c.status;
}

/** The backend in use, and on click why each faster one was not taken. */
export function BackendBadge({
  report,
  error,
  stepsPerSecond = null,
  memory = null,
}: {
  report: BackendReport | null;
  error: string | null;
  stepsPerSecond?: number | null;
  memory?: EngineMemory | null;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  if (error && !report) {
    return (
      <span className="badge badge-error" role="status">
        no backend
      </span>
    );
  }
  if (!report) {
    return (
      <span className="badge badge-pending" role="status">
        choosing a backend…
      </span>
    );
  }
  const adapter = report.adapter ? adapterLabel(report.adapter) : DESCRIPTION[report.backend];
  // A backend that works but trained more slowly was not fallen back from: it lost a race.
  const fellBack = report.candidates.some((c) => !['chosen', 'not tried', 'slower'].includes(c.status));
  return (
    <div className="badge-wrap">
      <button
        type="button"
        className={`badge badge-${report.backend}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="backend-badge"
      >
        <strong>{report.backend}</strong>
        <span className="badge-adapter">{adapter}</span>
        {stepsPerSecond !== null && stepsPerSecond > 0 && <span className="badge-rate">{stepsPerSecond.toFixed(0)} steps/s</span>}
        {report.measured ? <span className="badge-note">fastest here</span> : fellBack && <span className="badge-note">fallback</span>}
      </button>
      {open && (
        <div className="badge-panel" id={panelId} role="region" aria-label="Backend details">
          <table>
            <caption>Backends in order of preference</caption>
            <thead>
              <tr>
                <th scope="col">backend</th>
                <th scope="col">outcome</th>
              </tr>
            </thead>
            <tbody>
              {report.candidates.map((c) => (
                <tr key={c.name} className={`cand-${c.status.replace(' ', '-')}`} data-testid={`candidate-${c.name}`}>
                  <th scope="row">{c.name}</th>
                  <td>{candidateText(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.measured && (
            <p className="badge-selftest" data-testid="backend-measured">
              Timed on these settings: {report.measured.text}.
            </p>
          )}
          <p className="badge-selftest">Self-test: {report.selfTest.detail}.</p>
          {memory && (
            <p className="badge-selftest" data-testid="engine-memory" data-tensors={memory.tensors} data-bytes={memory.bytes}>
              Engine memory: {memory.tensors} tensors, {formatBytes(memory.bytes)}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

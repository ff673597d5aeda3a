import { useEffect, useMemo, useState } from 'react';
import type { BackendReport } from '../src/backend/types';
import { BackendBadge } from './BackendBadge';
import { EngineClient } from './engineClient';
import { readBackendParam } from './backendParam';
import { ParityPanel } from './ParityPanel';
import { EngineCheckPanel } from './EngineCheckPanel';
import { LossCatalog } from './LossCatalog';
import { PresetTable } from './PresetTable';

function Notice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <div className="notice" role="alert">
      <span>{text}</span>
      <button type="button" className="notice-close" onClick={onDismiss} aria-label="Dismiss notice">×</button>
    </div>
  );
}

export function App({ search }: { search: string }) {
  const param = useMemo(() => readBackendParam(search), [search]);
  const [engine, setEngine] = useState<EngineClient | null>(null);
  const [report, setReport] = useState<BackendReport | null>(null);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string[]>([]);

  useEffect(() => {
    const client = new EngineClient((message) => setEngineError(`The engine stopped: ${message}`));
    setEngine(client);
    setReport(null);
    setEngineError(null);
    client.request<'init'>({ type: 'init', backend: param.requested }).then(setReport, (e: Error) => setEngineError(e.message));
    return () => client.dispose();
  }, [param]);

  const notices = [param.notice, report?.requestNotice].filter((n): n is string => Boolean(n) && !dismissed.includes(n!));

  return (
    <>
      <header className="top">
        <div className="title">
          <h1>Seg Loss Playground</h1>
          <p className="question">We report IoU. Why not train on it?</p>
        </div>
        <BackendBadge report={report} error={engineError} />
      </header>
      <main>
        {notices.map((n) => (
          <Notice key={n} text={n} onDismiss={() => setDismissed((d) => [...d, n])} />
        ))}
        {engineError && (
          <div className="notice notice-error" role="alert">
            {engineError}. Reload the page to try again; adding <code>?backend=cpu</code> to the address uses the
            slowest but most widely available backend.
          </div>
        )}
        <ParityPanel engine={engine} ready={report !== null} />
        <EngineCheckPanel engine={engine} ready={report !== null} />
        <LossCatalog />
        <PresetTable />
      </main>
    </>
  );
}

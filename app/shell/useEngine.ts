import { useEffect, useState } from 'react';
import type { BackendName, BackendReport } from '../../src/backend/types';
import type { BackendParam } from '../backendParam';
import { EngineClient } from '../engineClient';

export interface EngineState {
  engine: EngineClient | null;
  /** What the engine settled on; null until it has. */
  report: BackendReport | null;
  /** Why the engine could not start. */
  error: string | null;
  /** Why the engine was restarted (a crash, a lost GPU device), until dismissed. */
  crash: string | null;
  dismissCrash: () => void;
}

/**
 * The training engine's life: started while `held` (an embedded figure holds one only near the viewport), restarted
 * with the same settings when it crashes, and on the next backend when its GPU device is lost.
 */
export function useEngine(backendParam: BackendParam, held: boolean): EngineState {
  const [engine, setEngine] = useState<EngineClient | null>(null);
  const [generation, setGeneration] = useState(0);
  const [report, setReport] = useState<BackendReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [crash, setCrash] = useState<string | null>(null);
  // Backends whose GPU device was lost in this session: the next engine does not try them again.
  const [lost, setLost] = useState<{ name: BackendName; reason: string }[]>([]);

  useEffect(() => {
    if (!held) {
      setEngine(null);
      setReport(null);
      return;
    }
    let live = true;
    const client = new EngineClient(
      (message) => {
        if (!live) return;
        // Restart with the same settings; the race is rebuilt from the current state by useRace.
        setCrash(`The training engine stopped (${message}). It was restarted with your settings; training starts again from step 0.`);
        setGeneration((g) => g + 1);
      },
      (backend, message) => {
        if (!live) return;
        setCrash(
          `The GPU device under ${backend} was lost (${message}). The engine was restarted on another backend with your settings; training starts again from step 0.`,
        );
        setLost((l) => [...l, { name: backend, reason: `its GPU device was lost (${message})` }]);
        setGeneration((g) => g + 1);
      },
      (settled) => live && setReport(settled),
    );
    setEngine(client);
    setReport(null);
    setError(null);
    client.api.init(backendParam.requested, lost).then(
      (r) => live && setReport(r),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
      client.dispose();
    };
  }, [backendParam, generation, lost, held]);

  return { engine, report, error, crash, dismissCrash: () => setCrash(null) };
}

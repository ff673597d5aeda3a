import { useState } from 'react';

/** A check the engine runs when asked (the zoo & checks page): whether it runs now, its result, or why it could not run. */
export function useCheck<T>() {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = (request: () => Promise<T>) => {
    setRunning(true);
    setResult(null);
    setError(null);
    request()
      .then(setResult, (e: Error) => setError(e.message))
      .finally(() => setRunning(false));
  };
  return { running, result, error, start };
}

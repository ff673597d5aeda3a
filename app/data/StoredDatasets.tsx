import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '../../src/domain/numberText';
import type { StoredEntry } from './useDataSource';
import './StoredDatasets.css';

const savedOn = (ms: number) => new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** One stored data set: use it, or delete it after a second click that names what goes. */
function StoredRow({
  entry,
  current,
  onUse,
  onRemove,
}: {
  entry: StoredEntry;
  current: boolean;
  onUse: () => void;
  onRemove: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const ask = useRef<HTMLButtonElement>(null);
  // The button pressed goes away: focus moves to the safe answer, and back to Delete when the set is kept (null:
  // nothing asked yet, so nothing takes the focus when the list is first drawn).
  useEffect(() => {
    if (confirming === true) keep.current?.focus();
    else if (confirming === false) ask.current?.focus();
  }, [confirming]);
  const remove = () => {
    setBusy(true);
    onRemove().finally(() => setBusy(false));
  };
  return (
    <li className={current ? 'stored-current' : undefined}>
      <span className="stored-name">{entry.name}</span>
      <span className="stored-size">
        {formatBytes(entry.bytes)} · {entry.files} files · {savedOn(entry.savedAt)}
        {current && ' · in use'}
      </span>
      {confirming ? (
        <span className="stored-actions" role="group" aria-label={`Delete ${entry.name}?`}>
          <span className="stored-ask">Delete it from this browser?</span>
          <button type="button" className="small stored-delete" onClick={remove} disabled={busy}>
            Yes, delete {entry.name}
          </button>
          <button ref={keep} type="button" className="small" onClick={() => setConfirming(false)} disabled={busy}>
            Keep {entry.name}
          </button>
        </span>
      ) : (
        <span className="stored-actions">
          <button type="button" className="small" onClick={onUse} disabled={current}>
            Use {entry.name}
          </button>
          <button ref={ask} type="button" className="small" onClick={() => setConfirming(true)}>
            Delete {entry.name}
          </button>
        </span>
      )}
    </li>
  );
}

/** The data sets this browser keeps, with their size: train on one again, or free the space. */
export function StoredDatasets({
  stored,
  current,
  onUse,
  onRemove,
}: {
  stored: StoredEntry[];
  current: string | null;
  onUse: (name: string) => void;
  onRemove: (name: string) => Promise<void>;
}) {
  if (stored.length === 0) return <p className="hint">No data set is stored in this browser yet.</p>;
  return (
    <ul className="stored" aria-label="Stored data sets">
      {stored.map((entry) => (
        <StoredRow
          key={entry.name}
          entry={entry}
          current={entry.name === current}
          onUse={() => onUse(entry.name)}
          onRemove={() => onRemove(entry.name)}
        />
      ))}
    </ul>
  );
}

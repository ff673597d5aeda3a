import { useState } from 'react';
import { downloadBlob } from './download';
import './DownloadMenu.css';

export interface DownloadItem {
  /** The button's text, e.g. PNG. */
  label: string;
  /** The file's name. */
  name: string;
  make: () => Promise<Blob>;
}

/** A "download" disclosure with one button per file; a file that cannot be made says why. */
export function DownloadMenu({ items }: { items: readonly DownloadItem[] }) {
  const [error, setError] = useState<string | null>(null);
  const save = (item: DownloadItem) => async () => {
    setError(null);
    try {
      downloadBlob(await item.make(), item.name);
    } catch (e) {
      setError(`The ${item.label} could not be made: ${(e as Error).message}`);
    }
  };
  return (
    <details className="export">
      <summary>download</summary>
      <div className="export-menu">
        {items.map((item) => (
          <button key={item.label} type="button" className="small" onClick={save(item)}>
            {item.label}
          </button>
        ))}
        {error && <span role="alert">{error}</span>}
      </div>
    </details>
  );
}

import { useId, useState } from 'react';
import { pickedOf } from './DropZone';
import { importPicked } from './pickFiles';
import type { DataProgress, DataSourceControls } from './useDataSource';

const PHASES: Record<DataProgress['phase'], string> = {
  fetching: 'fetching its files',
  decoding: 'decoding its images and masks',
  storing: 'storing it in this browser',
};

/**
 * A link named a data set this browser does not have: said, with the two ways on. "Import images" picks a folder
 * (or files) and stores it under the link's name, so the link works here from then on.
 */
function Missing({ data, name }: { data: DataSourceControls; name: string }) {
  const inputId = useId();
  const [failed, setFailed] = useState<string | null>(null);
  const onFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setFailed(null);
    try {
      // As the import panel's: hidden files skipped, the limits checked before a byte is read (pickFiles.ts).
      await importPicked(pickedOf(list), name, data.importFiles);
    } catch (e) {
      setFailed((e as Error).message);
    }
  };
  return (
    <div className="notice" role="alert">
      <span>
        {name} is not stored in this browser. Import its images and masks under this name, or train on the synthetic shapes.
        {/* Why the files could not be read, or imported (the import's own words). */}
        {(failed ?? data.error) && <span className="notice-error"> {failed ?? data.error}</span>}
      </span>
      <span className="row">
        <input
          id={inputId}
          type="file"
          multiple
          // A folder, as data sets are kept (images/ and masks/, or train/ and val/); React's types lack the attribute.
          {...{ webkitdirectory: '' }}
          hidden
          onChange={(e) => {
            void onFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={() => document.getElementById(inputId)?.click()}>
          Import images
        </button>
        <button type="button" onClick={data.useSynthetic}>
          Use synthetic shapes
        </button>
      </span>
    </div>
  );
}

/**
 * What the data source has to say above the view: a stored data set this browser lacks (always), and, unless `quiet`
 * (the data panel is on screen, or the view trains no race of these settings), the loading, what went wrong and what
 * the import changed.
 */
export function DataNotices({ data, quiet }: { data: DataSourceControls; quiet: boolean }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (data.status === 'missing' && data.name !== null) return <Missing data={data} name={data.name} />;
  if (quiet) return null;
  if (data.status === 'loading')
    return (
      <p className="notice" role="status">
        Loading {data.name ?? 'the data set'}
        {data.progress && `: ${PHASES[data.progress.phase]} (${data.progress.done} of ${data.progress.total})`}…
      </p>
    );
  if (data.status === 'error' && data.error)
    return (
      <p className="notice notice-error" role="alert">
        The data set could not be used: {data.error}
      </p>
    );
  if (data.notice && data.notice !== dismissed)
    return (
      <div className="notice" role="status">
        <span>{data.notice}</span>
        <button type="button" className="notice-close" onClick={() => setDismissed(data.notice)} aria-label="Dismiss notice">
          ×
        </button>
      </div>
    );
  return null;
}

import { useId, useState, type DragEvent } from 'react';
import type { ImportFile } from '../../src/data/importedData';
import { isIgnoredPath } from '../../src/data/pairFiles';
import './DropZone.css';

/** A file the reader handed over, with its path inside what was dropped or chosen ('/'-separated, no leading '/'). */
export interface PickedFile {
  path: string;
  file: File;
}

/** What was handed over, and the folder it came from (the data set's default name), when there was one. */
export interface Picked {
  files: PickedFile[];
  folder: string | null;
}

/** The folder every file sits in, when they share one: what a reader dropped or chose, and the name it knows it by. */
function commonFolder(paths: string[]): string | null {
  const first = paths[0]?.split('/')[0];
  return first !== undefined && paths.every((p) => p.includes('/') && p.split('/')[0] === first) ? first : null;
}

function picked(files: PickedFile[]): Picked {
  // Hidden files and a file manager's own (.DS_Store, Thumbs.db) are no one's images: dropped before they are read.
  const kept = files.filter((f) => !isIgnoredPath(f.path));
  return { files: kept, folder: commonFolder(kept.map((f) => f.path)) };
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** A folder's entries: a reader returns them in batches (of 100 in Chromium) until it returns none. */
async function entriesOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Every file under a dropped entry, with its path from the dropped item down (fullPath starts with '/'). */
async function filesUnder(entry: FileSystemEntry): Promise<PickedFile[]> {
  if (entry.isFile) return [{ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) }];
  if (!entry.isDirectory) return [];
  const children = await entriesOf(entry as FileSystemDirectoryEntry);
  return (await Promise.all(children.map(filesUnder))).flat();
}

/**
 * What was dropped: folders walked through, or the plain files where the browser gives no entries (a drop made by a
 * script). Hidden and junk files are left out.
 */
export async function droppedFiles(transfer: DataTransfer): Promise<Picked> {
  // The entries are taken before the first await: the drop's data store is emptied when its handler returns.
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry());
  const files = Array.from(transfer.files, (file) => ({ path: file.name, file }));
  if (entries.length === 0 || entries.some((e) => e === null)) return picked(files);
  return picked((await Promise.all(entries.map((e) => filesUnder(e!)))).flat());
}

/** A picker's files: a folder's carry their path inside it (webkitRelativePath), single files only their name. */
export const pickedOf = (list: FileList | null | undefined): PickedFile[] =>
  Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));

/**
 * Where a reader hands over images and masks: dropped files or folders (walked through, keeping each file's path,
 * which the pairing reads), a picker for many files and one for a folder.
 */
export function DropZone({ onPick, disabled }: { onPick: (p: Picked) => void; disabled: boolean }) {
  const titleId = useId();
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const take = (p: Picked) => {
    if (p.files.length > 0) onPick(p);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    setError(null);
    droppedFiles(e.dataTransfer).then(take, (err: Error) => setError(`The dropped files could not be read: ${err.message}`));
  };
  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    setOver(!disabled);
  };
  return (
    <div
      className={`drop-zone${over ? ' drop-over' : ''}`}
      role="group"
      aria-labelledby={titleId}
      aria-disabled={disabled}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-title" id={titleId}>
        Drop images and masks here
      </p>
      <p className="drop-or">files or whole folders, or</p>
      <div className="drop-pickers">
        <label className="picker">
          <input
            type="file"
            multiple
            accept="image/*,.tif,.tiff"
            className="visually-hidden"
            disabled={disabled}
            onChange={(e) => {
              take(picked(pickedOf(e.target.files)));
              e.target.value = '';
            }}
          />
          <span>Choose image and mask files</span>
        </label>
        <label className="picker">
          <input
            type="file"
            multiple
            // React types lack the attribute; the browser reads it from the DOM.
            {...{ webkitdirectory: '' }}
            className="visually-hidden"
            disabled={disabled}
            onChange={(e) => {
              take(picked(pickedOf(e.target.files)));
              e.target.value = '';
            }}
          />
          <span>Choose a folder</span>
        </label>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The bytes of the files handed over, read one after the other, with how many are done. */
export async function readPicked(files: PickedFile[], onProgress: (done: number, total: number) => void): Promise<ImportFile[]> {
  const out: ImportFile[] = [];
  for (const { path, file } of files) {
    out.push({ path, bytes: new Uint8Array(await file.arrayBuffer()) });
    onProgress(out.length, files.length);
  }
  return out;
}

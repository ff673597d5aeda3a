import { ImportError } from '../../src/data/importError';
import type { ImportFile } from '../../src/data/importedData';
import { checkFileLimits } from '../../src/data/importLimits';
import { isIgnoredPath } from '../../src/data/pairFiles';
import { readPicked, type PickedFile } from './DropZone';

/**
 * The one way files a reader handed over become an import, wherever they were picked: hidden files and a file
 * manager's own are skipped, the limits are checked on the files' sizes before a byte is read (a careless pick of a
 * whole disk stops here), the bytes are read one file after the other, then imported under `name`. Throws when
 * nothing is left to import, the limits' ImportError, or why a file could not be read; resolves to what
 * `importFiles` answers (false: the import failed, and the data source says why).
 */
export async function importPicked(
  files: readonly PickedFile[],
  name: string,
  importFiles: (files: ImportFile[], name: string) => Promise<boolean>,
  /** How many files are read so far; null once they all are, or reading failed. */
  onReading: (reading: { done: number; total: number } | null) => void = () => {},
): Promise<boolean> {
  const kept = files.filter((f) => !isIgnoredPath(f.path));
  if (kept.length === 0)
    throw new ImportError('The chosen files are all hidden files or a file manager’s own: there is nothing to import.');
  checkFileLimits(
    kept.length,
    kept.reduce((sum, f) => sum + f.file.size, 0),
  );
  onReading({ done: 0, total: kept.length });
  let read: ImportFile[];
  try {
    read = await readPicked(kept, (done, total) => onReading({ done, total }));
  } finally {
    onReading(null);
  }
  return importFiles(read, name);
}

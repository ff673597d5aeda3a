import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportFile } from '../src/data/importedData';
import { ImportError } from '../src/data/importError';
import { checkFileLimits, IMPORT_LIMITS, limitsText, type ImportLimits } from '../src/data/importLimits';
import { isIgnoredPath } from '../src/data/pairFiles';

/** Files read at once: enough to keep the disk busy, far below any open-file limit. */
const READ_AT_ONCE = 16;

interface Found {
  path: string;
  full: string;
  size: number;
}

/**
 * Every file under `dir` with its size, depth first in name order. Hidden files and folders (.DS_Store, .git) and
 * OS junk (Thumbs.db, __MACOSX) are skipped unread and uncounted, by the import's own rule; a link is followed to a
 * file but never into a folder, so a link cycle cannot loop.
 */
async function walk(dir: string, prefix: string, out: Found[], maxFiles: number): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Listing stops once the limit is passed: a folder of a million files is refused without listing it all.
    if (out.length > maxFiles) return;
    const full = join(dir, entry.name);
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (isIgnoredPath(path)) continue;
    if (entry.isDirectory()) {
      await walk(full, path, out, maxFiles);
      continue;
    }
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) continue;
    out.push({ path, full, size: info.size });
  }
}

/**
 * The files of a data folder as an import's files: paths relative to `dir`, '/'-separated, so that the pairing reads
 * `images/x.png`, `train/…` as it does for a dropped folder. The sizes are checked against `limits` before any file is
 * read; a folder that is missing, not a folder or holds no files throws an ImportError saying so.
 */
export async function readDataDir(dir: string, limits: ImportLimits = IMPORT_LIMITS): Promise<ImportFile[]> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new ImportError(`${dir}: no such folder`);
  if (!info.isDirectory()) throw new ImportError(`${dir}: not a folder`);
  const found: Found[] = [];
  await walk(dir, '', found, limits.maxFiles);
  if (found.length === 0) throw new ImportError(`${dir}: no files in it`);
  if (found.length > limits.maxFiles)
    throw new ImportError(`${dir} holds more than ${limits.maxFiles} files, more than an import reads. ${limitsText(limits)}`);
  checkFileLimits(
    found.length,
    found.reduce((sum, f) => sum + f.size, 0),
    limits,
  );
  // A few files open at a time, not thousands at once: a folder at the file limit must not run out of descriptors (EMFILE).
  const files: ImportFile[] = new Array(found.length);
  let next = 0;
  const lane = async () => {
    while (next < found.length) {
      const i = next++;
      files[i] = { path: found[i].path, bytes: new Uint8Array(await readFile(found[i].full)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_AT_ONCE, found.length) }, lane));
  return files;
}

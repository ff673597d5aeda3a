import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ImportError } from '../src/data/importError';
import { IMPORT_LIMITS } from '../src/data/importLimits';
import { readDataDir } from './readDataDir';

// readFile as it is, counting the reads open at once.
const reads = vi.hoisted(() => ({ open: 0, most: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = async (...args: Parameters<typeof fs.readFile>) => {
    reads.most = Math.max(reads.most, ++reads.open);
    try {
      return await fs.readFile(...args);
    } finally {
      reads.open--;
    }
  };
  return { ...fs, readFile };
});

/** A fresh folder holding `files` (path → text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-dir-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('readDataDir', () => {
  it('reads every file below the folder with its path from there, hidden files, hidden folders and OS junk left out', async () => {
    const dir = folder({
      'train/images/b.png': 'b',
      'train/masks/b.png': 'bm',
      'a.png': 'a',
      'a_mask.png': 'am',
      '.DS_Store': 'x',
      '.git/config': 'x',
      'val/.hidden.png': 'x',
      'Thumbs.db': 'x',
      '__MACOSX/a.png': 'x',
    });
    const files = await readDataDir(dir);
    expect(files.map((f) => f.path)).toEqual(['a.png', 'a_mask.png', 'train/images/b.png', 'train/masks/b.png']);
    expect(new TextDecoder().decode(files[1].bytes)).toBe('am');
  });

  it('refuses a missing folder, a file and a folder with no files, naming the path', async () => {
    const dir = folder({ 'a.png': 'a' });
    mkdirSync(join(dir, 'empty/nested'), { recursive: true });
    writeFileSync(join(dir, 'empty/.hidden'), 'x');
    for (const [path, message] of [
      [join(dir, 'none'), /none: no such folder/],
      [join(dir, 'a.png'), /a\.png: not a folder/],
      [join(dir, 'empty'), /empty: no files in it/],
    ] as const) {
      const error = await readDataDir(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('refuses too many files or too many bytes before reading, stating the limits', async () => {
    const dir = folder({ 'a.png': '12345', 'b.png': '12345', 'c/d.png': '12345' });
    await expect(readDataDir(dir, { ...IMPORT_LIMITS, maxFiles: 2 })).rejects.toThrow(/more than 2 files.*At most 2 files/);
    await expect(readDataDir(dir, { ...IMPORT_LIMITS, maxBytes: 14 })).rejects.toThrow(/15 bytes, more than an import reads/);
    expect(await readDataDir(dir, { ...IMPORT_LIMITS, maxFiles: 3, maxBytes: 15 })).toHaveLength(3);
  });

  it('reads a large folder a few files at a time, in name order', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `f${String(i).padStart(3, '0')}.png`);
    const dir = folder(Object.fromEntries(names.map((n) => [n, n])));
    reads.most = 0;
    const files = await readDataDir(dir);
    expect(files.map((f) => f.path)).toEqual(names);
    expect(files.map((f) => new TextDecoder().decode(f.bytes))).toEqual(names);
    expect(reads.most).toBeGreaterThan(1);
    expect(reads.most).toBeLessThanOrEqual(16);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ImportError } from '../../src/data/importError';
import { IMPORT_LIMITS } from '../../src/data/importLimits';
import type { PickedFile } from './DropZone';
import { importPicked } from './pickFiles';

/** A picked file whose reading is watched: a limit must stop an import before any byte is read. */
function picked(path: string, size = 4): PickedFile & { read: ReturnType<typeof vi.fn> } {
  const read = vi.fn(async () => new ArrayBuffer(4));
  return { path, file: { size, arrayBuffer: read } as unknown as File, read };
}

describe('importPicked', () => {
  it('skips hidden and junk files, reads the rest and imports them under the name', async () => {
    const files = [picked('set/a.png'), picked('set/a_mask.png'), picked('set/.DS_Store'), picked('set/Thumbs.db')];
    const importFiles = vi.fn(async () => true);
    await expect(importPicked(files, 'set', importFiles)).resolves.toBe(true);
    expect(importFiles).toHaveBeenCalledWith(
      [expect.objectContaining({ path: 'set/a.png' }), expect.objectContaining({ path: 'set/a_mask.png' })],
      'set',
    );
    expect(files[2].read).not.toHaveBeenCalled();
  });

  it('refuses too many bytes with the limits in words before reading a byte', async () => {
    const files = [picked('a.png', IMPORT_LIMITS.maxBytes), picked('a_mask.png', 1)];
    const importFiles = vi.fn(async () => true);
    await expect(importPicked(files, 'big', importFiles)).rejects.toThrow(ImportError);
    for (const f of files) expect(f.read).not.toHaveBeenCalled();
    expect(importFiles).not.toHaveBeenCalled();
  });

  it('says so when only hidden files were chosen', async () => {
    await expect(importPicked([picked('.hidden.png')], 'x', async () => true)).rejects.toThrow(/nothing to import/);
  });
});

import { describe, expect, it } from 'vitest';
import { droppedFiles } from './DropZone';

// Fake entries as Chromium hands them over: a folder's reader answers in batches, then with an empty one.
type Fake = {
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
  file?: (ok: (f: File) => void) => void;
  createReader?: () => unknown;
};
const file = (fullPath: string): Fake => ({
  isFile: true,
  isDirectory: false,
  fullPath,
  file: (ok) => ok(new File([fullPath], fullPath.slice(fullPath.lastIndexOf('/') + 1))),
});
const folder = (fullPath: string, children: Fake[], batch = 2): Fake => ({
  isFile: false,
  isDirectory: true,
  fullPath,
  createReader: () => {
    let at = 0;
    return {
      readEntries: (ok: (e: Fake[]) => void) => {
        ok(children.slice(at, at + batch));
        at += batch;
      },
    };
  },
});
const transfer = (entries: (Fake | null)[], files: File[] = []) =>
  ({ items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })), files }) as unknown as DataTransfer;

describe('droppedFiles', () => {
  it('walks a dropped folder through every batch of its reader, keeping paths from the folder down and skipping junk', async () => {
    const tiles = folder('/tiles', [
      file('/tiles/a.png'),
      file('/tiles/a_mask.png'),
      file('/tiles/.DS_Store'),
      folder('/tiles/val', [file('/tiles/val/b.png'), file('/tiles/val/b_mask.png')]),
    ]);
    const got = await droppedFiles(transfer([tiles]));
    expect(got.folder).toBe('tiles');
    expect(got.files.map((f) => f.path).sort()).toEqual(['tiles/a.png', 'tiles/a_mask.png', 'tiles/val/b.png', 'tiles/val/b_mask.png']);
    expect(await got.files.find((f) => f.path === 'tiles/val/b.png')!.file.text()).toBe('/tiles/val/b.png');
  });

  it('names no folder for loose files, and takes the plain file list where the browser gives no entries', async () => {
    expect((await droppedFiles(transfer([file('/a.png'), file('/a_mask.png')]))).folder).toBeNull();
    const plain = await droppedFiles(transfer([null], [new File(['x'], 'x.png')]));
    expect(plain).toMatchObject({ folder: null, files: [{ path: 'x.png' }] });
  });
});

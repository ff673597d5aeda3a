import { describe, expect, it } from 'vitest';
import { createDatasetStore, type KeyValue } from './datasetStore';

/** IndexedDB's part as a Map; `failWrites` is a browser that refuses to store (quota, private mode). */
function memoryKv(failWrites = false): KeyValue & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    getMany: async <T>(k: string[]) => k.map((x) => map.get(x) as T | undefined),
    setMany: async (entries) => {
      if (failWrites) throw new Error('QuotaExceededError');
      for (const [k, v] of entries) map.set(k, v);
    },
    delMany: async (k) => void k.forEach((x) => map.delete(x)),
    keys: async () => [...map.keys()],
  };
}

const file = (path: string, n: number) => ({ path, bytes: new Uint8Array(n).fill(7) });

describe('createDatasetStore', () => {
  it('gives back the same bytes under the name, and lists it with its size', async () => {
    const store = createDatasetStore(memoryKv());
    const files = [file('a.png', 10), file('a_mask.png', 5)];
    const entry = await store.save('cells', files);
    expect(entry).toMatchObject({ name: 'cells', bytes: 15, files: 2 });
    expect(await store.load('cells')).toEqual(files);
    expect(await store.list()).toEqual([entry]);
  });

  it('lists the newest first and replaces a data set of the same name', async () => {
    const store = createDatasetStore(memoryKv());
    await store.save('a', [file('x.png', 1)]);
    await new Promise((r) => setTimeout(r, 2));
    await store.save('b', [file('x.png', 2)]);
    expect((await store.list()).map((e) => e.name)).toEqual(['b', 'a']);
    await new Promise((r) => setTimeout(r, 2));
    await store.save('a', [file('y.png', 3)]);
    expect((await store.list()).map((e) => [e.name, e.bytes])).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    expect((await store.load('a'))?.map((f) => f.path)).toEqual(['y.png']);
  });

  it('knows nothing of a name it lacks, or of one deleted', async () => {
    const kv = memoryKv();
    const store = createDatasetStore(kv);
    expect(await store.load('nope')).toBeNull();
    await store.save('gone', [file('x.png', 1)]);
    await store.remove('gone');
    expect(await store.load('gone')).toBeNull();
    expect(await store.list()).toEqual([]);
    expect(kv.map.size).toBe(0);
  });

  it('treats files without their entry (a write cut short) as not stored', async () => {
    const kv = memoryKv();
    kv.map.set('files:half', [file('x.png', 1)]);
    const store = createDatasetStore(kv);
    expect(await store.load('half')).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  it('says which data set the browser would not store, and how large it was', async () => {
    const store = createDatasetStore(memoryKv(true));
    await expect(store.save('big', [file('x.png', 2_500_000)])).rejects.toThrow(
      'This browser would not store big (2.5 MB): QuotaExceededError',
    );
  });
});

import { createStore, delMany, getMany, keys, setMany } from 'idb-keyval';
import type { ImportFile } from '../../src/data/importedData';

// The data sets this browser keeps: the files as they were imported (bytes, not decoded images), under a name,
// so that `data=local:NAME` imports the same bytes again after a reload and gives the same content hash.

/** What the list of stored data sets shows, without reading their files. */
export interface StoredEntry {
  name: string;
  /** The files' bytes together. */
  bytes: number;
  files: number;
  /** When it was stored (ms since the epoch). */
  savedAt: number;
}

/** The few IndexedDB calls the store makes (idb-keyval's, on its own database); a Map stands in for it in tests. */
export interface KeyValue {
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  keys(): Promise<IDBValidKey[]>;
}

export interface DatasetStore {
  /** Stores `files` under `name` (replacing a data set of that name); the entry and its files are written at once. */
  save(name: string, files: ImportFile[]): Promise<StoredEntry>;
  /** The files stored under `name`, or null where this browser has none. */
  load(name: string): Promise<ImportFile[] | null>;
  /** Every stored data set, the newest first. */
  list(): Promise<StoredEntry[]>;
  remove(name: string): Promise<void>;
}

// An entry and its files live under two keys, so that the list reads the small entries only.
const ENTRY = 'entry:';
const FILES = 'files:';

/** The store over `kv`; by default this origin's IndexedDB (opened on first use). */
export function createDatasetStore(kv: KeyValue = indexedDbKeyValue()): DatasetStore {
  return {
    async save(name, files) {
      const entry: StoredEntry = {
        name,
        bytes: files.reduce((n, f) => n + f.bytes.byteLength, 0),
        files: files.length,
        savedAt: Date.now(),
      };
      try {
        await kv.setMany([
          [FILES + name, files],
          [ENTRY + name, entry],
        ]);
      } catch (e) {
        throw new Error(`This browser would not store ${name} (${(entry.bytes / 1e6).toFixed(1)} MB): ${(e as Error).message}`);
      }
      return entry;
    },
    async load(name) {
      // Files without their entry are a write that did not finish: nothing is stored under the name.
      const [entry, files] = await kv.getMany<unknown>([ENTRY + name, FILES + name]);
      return entry === undefined || files === undefined ? null : (files as ImportFile[]);
    },
    async list() {
      const names = (await kv.keys()).filter((k): k is string => typeof k === 'string' && k.startsWith(ENTRY));
      const entries = await kv.getMany<StoredEntry>(names);
      return entries.filter((e): e is StoredEntry => e !== undefined).sort((a, b) => b.savedAt - a.savedAt);
    },
    async remove(name) {
      await kv.delMany([ENTRY + name, FILES + name]);
    },
  };
}

/** idb-keyval on the page's own database. */
function indexedDbKeyValue(): KeyValue {
  let store: ReturnType<typeof createStore> | null = null;
  const db = () => (store ??= createStore('seg-loss-playground-data', 'datasets'));
  return {
    getMany: (k) => getMany(k, db()),
    setMany: (entries) => setMany(entries, db()),
    delMany: (k) => delMany(k, db()),
    keys: () => keys(db()),
  };
}

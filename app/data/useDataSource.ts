import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentConfig, ExperimentInput } from '../../src/config/experimentConfig';
import { dataSourceOf, type DataSource } from '../../src/data/dataSource';
import { throttle } from '../../src/throttle';
import { datasetNameProblem } from '../../src/data/datasetName';
import { summarize, type DatasetSummary } from '../../src/data/datasetSummary';
import type { ImportedDataset, ImportFile, ImportProblem } from '../../src/data/importedData';
import type { IntensityScaling } from '../../src/data/intensity';
import { createDatasetStore, type DatasetStore, type StoredEntry } from './datasetStore';
import { followImport, followNotice } from './followImport';
import { withManifestSettings } from './manifestSettings';

export type { StoredEntry } from './datasetStore';

export type DataStatus = 'synthetic' | 'loading' | 'ready' | 'missing' | 'error';

export interface DataProgress {
  /** fetching: a manifest's files; decoding: the files imported (two per pair); storing: writing them to this browser. */
  phase: 'fetching' | 'decoding' | 'storing';
  done: number;
  total: number;
}

/** What the page's data source is and does: the shell makes one per explorer (useDataSource) and hands it to the views. */
export interface DataSourceControls {
  /** `data.source` as the address writes it: synthetic, local:NAME, a manifest's address, dir:NAME. */
  source: string;
  kind: DataSource['kind'];
  /** The stored data set's name or the manifest's; null for the synthetic shapes (and a source that cannot be read). */
  name: string | null;
  /** A manifest's description of its data (its source, licence), as text. */
  description: string | null;
  status: DataStatus;
  /** While loading: how far. */
  progress: DataProgress | null;
  /** The data set the race trains on, once ready. */
  imported: ImportedDataset | null;
  summary: DatasetSummary | null;
  /** The last import's problems, each named with its file (a manifest's by its URL). */
  problems: ImportProblem[];
  /** Why the data could not be used (status 'error'), in a sentence. */
  error: string | null;
  /** What the import changed in the settings, or where it could not be stored. */
  notice: string | null;
  stored: StoredEntry[];
  /** Imports `files`, stores them under `name` and makes them the source (`data=local:NAME`); false when it failed. */
  importFiles(files: ImportFile[], name: string): Promise<boolean>;
  useStored(name: string): void;
  /** Deletes a stored data set; the synthetic shapes take over when it was the source. */
  remove(name: string): Promise<void>;
  useSynthetic(): void;
  /** Why a name cannot name a stored data set, or null. */
  nameProblem(name: string): string | null;
}

/** What a load of a source gave, and for which import settings (the classes allowed, the scaling). */
interface Loaded {
  source: string;
  classes: number;
  scaling: string;
  status: DataStatus;
  name: string | null;
  description: string | null;
  progress: DataProgress | null;
  imported: ImportedDataset | null;
  summary: DatasetSummary | null;
  problems: ImportProblem[];
  error: string | null;
}

/** The files of the source last read, kept so that a change of the import settings imports them again without a fetch. */
export interface Kept {
  source: string;
  name: string;
  description: string | null;
  files: ImportFile[];
  /** A manifest's: each imported path's URL, and the files that could not be fetched. */
  urlOf: Map<string, string> | null;
  fetchProblems: ImportProblem[];
}

type SetExperiment = (update: (c: ExperimentConfig) => ExperimentConfig) => void;

/**
 * How often progress is shown: each report draws the page again (the race view with it), which on a slow machine costs
 * more than decoding a batch of images. A new phase shows at once; the reports between are dropped, not held.
 */
const PROGRESS_MS = 300;

const throttledProgress = (report: (p: DataProgress) => void) =>
  throttle(report, PROGRESS_MS, { trailing: false, urgent: (p: DataProgress) => p.done === 0 });

const DIR_ERROR = (name: string) =>
  `dir:${name} names a folder for the command-line tools (--data). In the page, import the folder’s files, or name a manifest.`;

const empty = (source: string, status: DataStatus): Omit<Loaded, 'classes' | 'scaling'> => ({
  source,
  status,
  name: null,
  description: null,
  progress: null,
  imported: null,
  summary: null,
  problems: [],
  error: null,
});

/**
 * Whether what was loaded serves these settings without another import: the same files and scaling, and a class
 * limit that leaves out no more and no fewer masks (a lower limit that still holds every class found, unless the
 * masks are instance maps, whose reading depends on the limit).
 */
export function loadServes(loaded: Loaded, source: string, classes: number, scaling: string): boolean {
  // A load under way is not yet what serves: a set-up run twice (React's StrictMode) starts it again.
  if (loaded.status === 'loading' || loaded.status === 'synthetic') return false;
  if (loaded.source !== source || loaded.scaling !== scaling) return false;
  if (loaded.classes === classes || loaded.status === 'missing') return true;
  const found = loaded.imported;
  return found !== null && classes < loaded.classes && classes >= found.classes && found.maskKind !== 'instance';
}

/** A manifest's address as the browser fetches it: one on this site is read against the page's own address. */
const absoluteUrl = (url: string) => new URL(url, window.location.href).href;

/** Reads the source's files: from this browser's store, or a manifest and its files over the network. */
async function readSource(
  parsed: Extract<DataSource, { kind: 'local' | 'url' }>,
  source: string,
  store: DatasetStore,
  signal: AbortSignal,
  onProgress: (p: DataProgress) => void,
): Promise<{ kept: Kept; settings: ExperimentInput | null } | null> {
  if (parsed.kind === 'local') {
    const files = await store.load(parsed.name);
    return files && { kept: { source, name: parsed.name, description: null, files, urlOf: null, fetchProblems: [] }, settings: null };
  }
  // The import's code (decoders, pairing, manifests) loads with the first import, not with the first page.
  const { fetchManifest } = await import('./fetchManifest');
  const data = await fetchManifest(absoluteUrl(parsed.url), {
    signal,
    onProgress: (done, total) => onProgress({ phase: 'fetching', done, total }),
  });
  return {
    kept: { source, name: data.name, description: data.description, files: data.files, urlOf: data.urlOf, fetchProblems: data.problems },
    settings: data.settings,
  };
}

/** Imports kept files with these classes and scaling; a manifest's pairs and problems are named as it names them. */
export async function importKept(kept: Kept, classes: number, scaling: IntensityScaling, onProgress: (p: DataProgress) => void) {
  const [{ importDataset }, { browserDecoder }] = await Promise.all([import('../../src/data/importDataset'), import('./browserDecoder')]);
  const imported = await importDataset(kept.files, {
    name: kept.name,
    classes,
    scaling,
    decode: browserDecoder,
    onProgress: (done, total) => onProgress({ phase: 'decoding', done, total }),
  });
  const { urlOf } = kept;
  if (!urlOf) return imported;
  // A message may name the pair's other file too ("left out with …"): every imported path in it is renamed, the
  // longest first (a pair's name is the start of its image's path).
  const paths = [...urlOf.keys()].sort((a, b) => b.length - a.length);
  const rename = (text: string) => paths.reduce((t, path) => (t.includes(path) ? t.split(path).join(urlOf.get(path)) : t), text);
  const problems = imported.problems.map((p) => ({ ...p, file: urlOf.get(p.file) ?? p.file, message: rename(p.message) }));
  const pairs = imported.pairs.map((p) => ({ ...p, name: urlOf.get(p.name) ?? p.name }));
  return { ...imported, pairs, problems: [...kept.fetchProblems, ...problems] };
}

/** This browser's stored data sets, read again after a change. */
function useStoredList(store: DatasetStore) {
  const [stored, setStored] = useState<StoredEntry[]>([]);
  const refresh = useCallback(() => {
    // Without IndexedDB (a private window of some browsers) nothing is stored, and the list says so by being empty.
    store.list().then(setStored, () => setStored([]));
  }, [store]);
  useEffect(refresh, [refresh]);
  return { stored, refresh };
}

/** The message of what stopped a load: an Error's own words (ImportError, ManifestError, a fetch's). */
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Loads the settings' source whenever it or the import settings change (unless what is loaded still serves them),
 * giving up a load that a newer one replaces. Returns what was loaded and how to show an import that finished.
 */
function useSourceLoad(experiment: ExperimentConfig, setExperiment: SetExperiment, store: DatasetStore, active: boolean) {
  const { source, classes, scaling } = experiment.data;
  // Nothing loaded yet: no source's, so the page shows the settings' source as loading until its load starts.
  const [loaded, setLoadedState] = useState<Loaded>(() => ({ ...empty('', 'synthetic'), classes, scaling }));
  const loadedRef = useRef(loaded);
  const setLoaded = useCallback((l: Loaded) => {
    loadedRef.current = l;
    setLoadedState(l);
  }, []);
  const [notice, setNotice] = useState<string | null>(null);
  const kept = useRef<Kept | null>(null);
  const running = useRef<AbortController | null>(null);
  const manifestApplied = useRef<string | null>(null);
  // What the next import shown has to say (a manifest's settings taken), kept across a load that they replaced.
  const toSay = useRef<string[]>([]);
  // The source last shown: an import of another is a new data set, one of the same the same files again.
  const shownFor = useRef<string | null>(null);
  const experimentRef = useRef(experiment);
  experimentRef.current = experiment;

  /** An import is done: it is shown, and the settings follow its channels and classes (said in the notice). */
  const show = useCallback(
    (
      at: Omit<Loaded, 'status' | 'imported' | 'summary' | 'problems' | 'error' | 'progress'>,
      imported: ImportedDataset,
      said: string[] = [],
      /** Files just imported: a new data set even under the name shown before. */
      dropped = false,
    ) => {
      // A new data set, not the same files imported again under other settings (classes, scaling).
      const fresh = dropped || shownFor.current !== at.source;
      shownFor.current = at.source;
      setLoaded({
        ...at,
        status: 'ready',
        progress: null,
        imported,
        summary: summarize(imported),
        problems: imported.problems,
        error: null,
      });
      const followed = followNotice(experimentRef.current, imported, fresh);
      const notices = [...toSay.current, ...said, ...(followed ? [followed] : [])];
      toSay.current = [];
      // The same files again (other classes, scaling) keep what was said of them, unless there is news.
      if (fresh || notices.length) setNotice(notices.length ? notices.join(' ') : null);
      setExperiment((c) => {
        const next = followImport(c, imported, fresh);
        return next.data.source === at.source ? next : { ...next, data: { ...next.data, source: at.source } };
      });
    },
    [setExperiment, setLoaded],
  );

  const load = useCallback(
    async (
      parsed: Extract<DataSource, { kind: 'local' | 'url' }>,
      at: Pick<Loaded, 'source' | 'classes' | 'scaling'>,
      signal: AbortSignal,
    ) => {
      const name = parsed.kind === 'local' ? parsed.name : null;
      const progress = throttledProgress((p) => !signal.aborted && setLoaded({ ...loadedRef.current, progress: p }));
      setLoaded({ ...empty(at.source, 'loading'), ...at, name });
      try {
        let k = kept.current?.source === at.source ? kept.current : null;
        if (!k) {
          const read = await readSource(parsed, at.source, store, signal, progress);
          if (signal.aborted) return;
          if (!read) return setLoaded({ ...empty(at.source, 'missing'), ...at, name });
          k = kept.current = read.kept;
          // The author's settings, once per manifest: the address's own settings win (manifestSettings.ts).
          if (read.settings && manifestApplied.current !== at.source) {
            manifestApplied.current = at.source;
            const result = withManifestSettings(experimentRef.current, read.settings);
            if (result.error) toSay.current = [`The settings in ${k.name}’s manifest were not used: ${result.error}.`];
            else if (result.applied.length) {
              // Said once the data is shown, which may be by the load these settings start (classes, scaling).
              toSay.current = [`${k.name}’s manifest set ${result.applied.join(', ')}.`];
              setExperiment(() => result.experiment);
            }
          }
        }
        const imported = await importKept(k, at.classes, at.scaling as IntensityScaling, progress);
        if (!signal.aborted) show({ ...at, name: k.name, description: k.description }, imported);
      } catch (e) {
        if (!signal.aborted) setLoaded({ ...empty(at.source, 'error'), ...at, name, error: messageOf(e) });
      }
    },
    [store, setExperiment, setLoaded, show],
  );

  useEffect(() => {
    const at = { source, classes, scaling };
    let parsed: DataSource;
    try {
      parsed = dataSourceOf(source);
    } catch (e) {
      return setLoaded({ ...empty(source, 'error'), ...at, error: messageOf(e) });
    }
    if (parsed.kind === 'synthetic') return setLoaded({ ...empty(source, 'synthetic'), ...at });
    if (parsed.kind === 'dir') return setLoaded({ ...empty(source, 'error'), ...at, name: parsed.name, error: DIR_ERROR(parsed.name) });
    if (!active || loadServes(loadedRef.current, source, classes, scaling)) return;
    const ctl = new AbortController();
    running.current?.abort();
    running.current = ctl;
    void load(parsed, at, ctl.signal);
    return () => ctl.abort();
  }, [source, classes, scaling, active, load, setLoaded]);

  return { loaded, notice, setNotice, kept, running, experimentRef, show };
}

/**
 * The page's data source: resolves `data.source` to an imported data set (from this browser's store, or a manifest
 * fetched over the network), imports dropped files, keeps the list of stored data sets, and has the settings follow
 * what was imported. One per explorer (no state outside it), so several embedded figures on a page are independent.
 */
export function useDataSource(
  experiment: ExperimentConfig,
  setExperiment: SetExperiment,
  /** Whether to load a source now: an embedded figure fetches its data only once it comes near the viewport. */
  active = true,
): DataSourceControls {
  const store = useMemo(() => createDatasetStore(), []);
  const { stored, refresh } = useStoredList(store);
  const { loaded, notice, setNotice, kept, running, experimentRef, show } = useSourceLoad(experiment, setExperiment, store, active);
  const { source } = experiment.data;
  // An import of files: its progress and error, shown in place of the current source's until it succeeds.
  const [importing, setImporting] = useState<{ name: string; progress: DataProgress | null; error: string | null } | null>(null);
  const importRun = useRef<AbortController | null>(null);
  // A failed import's words were about the settings it ran under: other classes or scaling may well import.
  const { classes, scaling } = experiment.data;
  useEffect(() => setImporting((i) => (i?.error ? null : i)), [classes, scaling]);

  const importFiles = async (files: ImportFile[], name: string): Promise<boolean> => {
    const { classes, scaling } = experimentRef.current.data;
    const at = { source: `local:${name}`, classes, scaling, name, description: null };
    const problem = datasetNameProblem(name);
    if (problem) {
      setImporting({ name, progress: null, error: `The name “${name}” cannot be used: ${problem}.` });
      return false;
    }
    // A newer import replaces one under way; the current source stays loaded until an import succeeds.
    importRun.current?.abort();
    const ctl = new AbortController();
    importRun.current = ctl;
    const progress = throttledProgress((p) => !ctl.signal.aborted && setImporting({ name, progress: p, error: null }));
    progress({ phase: 'decoding', done: 0, total: files.length });
    try {
      const k: Kept = { ...at, files, urlOf: null, fetchProblems: [] };
      const imported = await importKept(k, at.classes, at.scaling, progress);
      if (ctl.signal.aborted) return false;
      progress({ phase: 'storing', done: 0, total: 1 });
      const said: string[] = [];
      await store.save(name, files).then(
        // Asked once something is stored: a browser may otherwise clear the data under storage pressure.
        () => void navigator.storage?.persist?.().catch(() => undefined),
        (e) => said.push(`${messageOf(e)}. It is used until this page is closed; a reload will not find it.`),
      );
      if (ctl.signal.aborted) return false;
      running.current?.abort();
      kept.current = k;
      setImporting(null);
      show(at, imported, said, true);
      refresh();
      return true;
    } catch (e) {
      if (!ctl.signal.aborted) setImporting({ name, progress: null, error: messageOf(e) });
      return false;
    }
  };

  const setSource = (next: string, channels?: 1 | 3) => {
    // What an import left (its error) gives way to the source chosen now; an import under way is given up.
    importRun.current?.abort();
    setImporting(null);
    setNotice(null);
    setExperiment((c) => ({ ...c, data: { ...c.data, source: next, channels: channels ?? c.data.channels } }));
  };

  const remove = async (name: string) => {
    const failed = await store.remove(name).then(
      () => null,
      (e) => `${name} could not be deleted from this browser: ${messageOf(e)}.`,
    );
    if (failed) {
      setNotice(failed);
      return;
    }
    if (kept.current?.source === `local:${name}`) kept.current = null;
    // The synthetic shapes are grey: one input channel again.
    if (experimentRef.current.data.source === `local:${name}`) setSource('synthetic', 1);
    refresh();
  };

  let parsed: DataSource | null = null;
  try {
    parsed = dataSourceOf(source);
  } catch {
    // Said by the load (status 'error').
  }
  // Between a change of source and its load starting, what was loaded belongs to the source before.
  const current = loaded.source === source ? loaded : empty(source, parsed?.kind === 'synthetic' ? 'synthetic' : 'loading');
  // An import of files under way or failed is said beside the current source, which the race goes on using.
  const importingNow = importing !== null && importing.error === null;
  const name = current.name ?? (parsed?.kind === 'local' || parsed?.kind === 'dir' ? parsed.name : null);
  return {
    source,
    kind: parsed?.kind ?? 'synthetic',
    name,
    description: current.description,
    status: importingNow ? 'loading' : current.status,
    progress: importingNow ? importing.progress : current.status === 'loading' ? current.progress : null,
    imported: current.status === 'ready' ? current.imported : null,
    summary: current.status === 'ready' ? current.summary : null,
    problems: current.problems,
    error: importing?.error ?? current.error,
    notice,
    stored,
    importFiles,
    useStored: (n) => setSource(`local:${n}`),
    remove,
    useSynthetic: () => setSource('synthetic', 1),
    nameProblem: datasetNameProblem,
  };
}

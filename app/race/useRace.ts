import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { BackendName } from '../../src/backend/types';
import { liveSettingsOf, raceIdentity, type ExperimentConfig } from '../../src/config/experimentConfig';
import type { ImportedDataset } from '../../src/data/importedData';
import { importedBytesOf, judgeRaceMemory, type MemoryVerdict } from '../../src/train/memoryEstimate';
import type { RaceCheckpoint } from '../../src/train/race';
import type { SetupReport } from '../../src/worker/raceSession';
import { EngineCancelled, type EngineClient } from '../engineClient';
import { RaceStore } from './raceStore';

const scopeOf = (key: string) => key.slice(0, key.indexOf('|'));

/** The imported data set a race of imported data trains on; `ready`: the settings' data can be trained on now. */
export interface RaceData {
  imported: ImportedDataset | null;
  ready: boolean;
}

/** A race's identity: its scope, its settings and, for imported data, the data's content hash. */
const raceKey = (scope: string, config: ExperimentConfig, data: RaceData) =>
  `${scope}|${raceIdentity(config)}${config.data.source === 'synthetic' ? '' : `|${data.imported?.hash ?? 'none'}`}`;

/**
 * Gives the engine the data set the race needs before it is set up: once per engine and data set (a new engine, after
 * a crash or a release, has none), and none for synthetic shapes, so the worker lets an imported set go.
 */
function useDatasetSender(data: RaceData) {
  const dataRef = useRef(data);
  dataRef.current = data;
  const sent = useRef<{ engine: EngineClient; hash: string | null } | null>(null);
  return useCallback(async (engine: EngineClient, config: ExperimentConfig): Promise<boolean> => {
    const imported = config.data.source === 'synthetic' ? null : dataRef.current.imported;
    if (config.data.source !== 'synthetic' && (!imported || !dataRef.current.ready)) return false;
    const hash = imported?.hash ?? null;
    if (sent.current?.engine === engine && sent.current.hash === hash) return true;
    // Nothing was sent to a new engine: it holds no data set to let go.
    if (imported || sent.current?.engine === engine) await engine.api.useDataset(imported);
    sent.current = { engine, hash };
    return true;
  }, []);
}

/** Where a race's set-up stands: built (`running`), being built (`setup`), or given up (`cancelled`), by key. */
interface SetupStanding {
  running: string | null;
  setup: SetupReport | null;
  cancelled: string | null;
}

/** Session events (records, play and pause) go to the store while this engine is the page's. */
function useSessionEvents(engine: EngineClient | null, store: RaceStore, setError: (e: string | null) => void) {
  useEffect(() => {
    if (!engine) return;
    // What went wrong with the previous engine (a crash, a lost device) is said once, by the page, not here.
    setError(null);
    engine.onSession((e) => store.apply(e));
    return () => engine.onSession(null);
  }, [engine, store, setError]);
}

/**
 * Builds the race of the current settings in the worker: at once while nothing has trained, on a new engine, or
 * when another scope's race is there; a change during a set-up replaces that set-up. Also parks a race (takes it
 * out as plain data) for the next engine to take back.
 */
function useRaceSetup(
  engine: EngineClient | null,
  ready: boolean,
  config: ExperimentConfig,
  data: RaceData,
  scope: string,
  memory: MemoryVerdict | null,
  store: RaceStore,
  setError: (e: string | null) => void,
) {
  const [running, setRunning] = useState<string | null>(null);
  const [setup, setSetup] = useState<SetupReport | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const configRef = useRef(config);
  configRef.current = config;
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  const memoryRef = useRef(memory);
  memoryRef.current = memory;
  const dataRef = useRef(data);
  dataRef.current = data;
  const sendDataset = useDatasetSender(data);
  const key = raceKey(scope, config, data);
  // A race handed over by an engine that was let go (park), for the next engine to build again and take back.
  const parked = useRef<{ key: string; checkpoint: RaceCheckpoint } | null>(null);
  // Which set-up is the newest: answers to older ones are ignored.
  const attempt = useRef({ id: 0, key: '' });

  // What the set-up effect reads without running again for it: it reacts to a new engine or new settings only.
  const latest = useRef<SetupStanding>({ running, setup, cancelled });
  latest.current = { running, setup, cancelled };

  const configure = useCallback(async () => {
    if (!engine) return;
    const wanted = configRef.current;
    const mine = { id: attempt.current.id + 1, key: raceKey(scopeRef.current, wanted, dataRef.current) };
    attempt.current = mine;
    setError(null);
    setCancelled(null);
    if (memoryRef.current?.level === 'refuse') {
      setSetup(null);
      return;
    }
    setSetup({ phase: 'images', done: 0, total: wanted.data.train + wanted.data.val });
    const current = () => attempt.current === mine;
    try {
      // Imported data still loading (or missing) builds nothing yet: the data panel says why.
      if (!(await sendDataset(engine, wanted))) {
        if (current()) setSetup(null);
        return;
      }
      if (!current()) return;
      const info = await engine.api.configure(wanted, (done, total, phase) => {
        if (current()) setSetup({ phase, done, total });
      });
      if (!current()) return;
      const saved = parked.current?.key === mine.key ? parked.current.checkpoint : null;
      parked.current = null;
      if (saved) {
        await engine.api.restore(saved);
        if (!current()) return;
        store.resumed(info);
      } else store.start(info);
      setRunning(mine.key);
      setSetup(null);
      await engine.api.setOptimizer(liveSettingsOf(configRef.current.optimizer));
    } catch (e) {
      if (!current()) return;
      setSetup(null);
      setRunning(null);
      if (e instanceof EngineCancelled) setCancelled(mine.key);
      else setError((e as Error).message);
    }
  }, [engine, store, setError, sendDataset]);

  // A new engine (first load, or a restart after a crash) gets the current settings, once the race view is
  // shown: until then the worker stays free for the other views' checks. Race-defining changes apply at once
  // while the race has not trained yet, and replace a set-up under way.
  const configuredFor = useRef<EngineClient | null>(null);
  useEffect(() => {
    // No engine (the page let it go): no race either until the next one is built.
    if (!engine) {
      setRunning(null);
      setSetup(null);
      return;
    }
    if (!ready) return;
    if (configuredFor.current !== engine) {
      configuredFor.current = engine;
      setRunning(null);
      void configure();
      return;
    }
    if (wantsSetUp(latest.current, attempt.current.key, key, scope, store)) void configure();
  }, [engine, ready, key, scope, configure, store]);

  /**
   * Takes the race out of the engine (paused, as plain data) before the page lets the engine go; the next engine
   * builds the same settings and takes it back, so the race goes on from the same step with the same history.
   */
  const park = async (): Promise<void> => {
    if (!engine || running === null || setup !== null) return;
    const checkpoint = await engine.api.checkpoint();
    parked.current = { key: running, checkpoint };
    // The last records travel on the session's own channel: wait (briefly) until they are in the store.
    for (let waited = 0; store.step < checkpoint.step && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  };

  return { running, setup, cancelled, key, configure, park };
}

/**
 * Whether the settings' race (`key`) must be set up now: a set-up of other settings is under way, nothing is
 * built and these settings were not cancelled, or another race is built that has not trained yet or belongs to
 * another scope.
 */
function wantsSetUp(
  { running, setup, cancelled }: SetupStanding,
  buildingKey: string,
  key: string,
  scope: string,
  store: RaceStore,
): boolean {
  if (setup !== null) return buildingKey !== key;
  if (running === null) return cancelled !== key;
  return running !== key && ((store.step === 0 && !store.playing) || scopeOf(running) !== scope);
}

/** The settings that apply without a new race, sent as they change: the optimiser's live ones, the speed, the pause step. */
function useLiveSettings(
  engine: EngineClient | null,
  ready: boolean,
  live: boolean,
  config: ExperimentConfig,
  maxStepsPerSecond: number | null,
  measuredStep: number | null,
  setError: (e: string | null) => void,
) {
  // Live settings go to this scope's race; a race being replaced gets them when it is built.
  // As one string, so that the effect runs when a value changes, not whenever the settings object is new.
  const liveSettings = JSON.stringify(liveSettingsOf(config.optimizer));
  useEffect(() => {
    if (engine && live) engine.api.setOptimizer(JSON.parse(liveSettings)).catch((e: Error) => setError(e.message));
  }, [engine, live, liveSettings, setError]);

  useEffect(() => {
    if (engine && ready) void engine.api.setSpeed(maxStepsPerSecond);
  }, [engine, ready, maxStepsPerSecond]);

  // A session setting like the speed: it outlives a reset and a new race, and a new engine gets it again.
  useEffect(() => {
    if (engine && ready) engine.api.setPauseAt(measuredStep).catch((e: Error) => setError(e.message));
  }, [engine, ready, measuredStep, setError]);
}

/**
 * Connects the page to the worker's race: configures it when the settings that define a race change (at
 * once while nothing has trained, otherwise after the user agrees to a reset), applies the learning rate,
 * clipping and speed live, and exposes the store the charts read.
 *
 * The race the worker trains is always the one the page shows: a change during a set-up replaces that set-up
 * (the worker gives the old one up), and Play waits until the newest one is built. A cancelled set-up is not
 * retried until the settings change or the user asks.
 */
export function useRace(
  engine: EngineClient | null,
  ready: boolean,
  config: ExperimentConfig,
  /** The imported data set of the settings' source (ignored for synthetic shapes). */
  data: RaceData,
  maxStepsPerSecond: number | null,
  backend: BackendName | null,
  /**
   * Who the race belongs to: the explorer, or one chapter of the tour. A race of another scope is replaced at
   * once, without asking: leaving a chapter ends its race, and the explorer's settings come back with it.
   */
  scope = 'explorer',
  /**
   * The step where Play stops by itself: a tour chapter's measured step, where the claims on screen hold (the
   * session's pause step). Play from it or beyond keeps training. null: the race runs until paused.
   */
  measuredStep: number | null = null,
) {
  // `ready`: the engine has a backend and the race view is on screen.
  const store = useMemo(() => new RaceStore(), []);
  const [error, setError] = useState<string | null>(null);
  // The imported pixels the worker keeps count too, as the worker's own check counts them (raceSession.ts).
  const imported = config.data.source === 'synthetic' ? null : data.imported;
  const memory: MemoryVerdict | null = useMemo(
    () => (backend ? judgeRaceMemory(config, backend, undefined, imported ? importedBytesOf(imported) : 0) : null),
    [config, backend, imported],
  );
  useSessionEvents(engine, store, setError);
  const dataReady = config.data.source === 'synthetic' || data.ready;
  const { running, setup, cancelled, key, configure, park } = useRaceSetup(
    engine,
    ready && dataReady,
    config,
    data,
    scope,
    memory,
    store,
    setError,
  );
  const needsReset = dataReady && running !== null && running !== key && setup === null && scopeOf(running) === scope;
  const live = running !== null && scopeOf(running) === scope && setup === null;
  useLiveSettings(engine, ready, live, config, maxStepsPerSecond, measuredStep, setError);

  const send = (command: 'play' | 'pause' | 'step' | 'reset') => {
    if (!engine || running === null || setup !== null) return;
    if (command === 'pause') store.pausedByUser();
    engine.api[command]().catch((e: Error) => setError(e.message));
  };

  return {
    store,
    park,
    ready: running !== null && setup === null,
    setup,
    /** The set-up of these settings was cancelled; nothing is built until the user asks or changes them. */
    cancelled: cancelled !== null && cancelled === key,
    memory,
    needsReset,
    error,
    /** Where this race stops by itself and its claims are measured (null: nowhere); Play from there keeps training. */
    measuredStep,
    play: () => send('play'),
    pause: () => send('pause'),
    toggle: () => send(store.playing ? 'pause' : 'play'),
    step: () => send('step'),
    /** Trains `steps` more steps and resolves when they are done (the race is paused before and after). */
    train: async (steps: number) => {
      if (!engine || running === null || setup !== null) return;
      store.pausedByUser();
      await engine.api.train(steps).catch((e: Error) => setError(e.message));
    },
    reset: () => (needsReset ? configure() : send('reset')),
    applyChanges: configure,
    /** Every series so far in the experiment CLI's results format (null while no race is built). */
    results: () => (engine && running !== null ? engine.api.results() : Promise.resolve(null)),
    cancelSetup: () => {
      if (engine && setup !== null) void engine.api.cancelSetup();
    },
  };
}

export type RaceControls = ReturnType<typeof useRace>;

/** Re-renders the calling component when the race store announces a change (at its steady drawing rate). */
export function useRaceStore(store: RaceStore): RaceStore {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}

/** The race's information from its set-up (null before the first); re-renders the caller only when a new race replaces it. */
export function useRaceInfo(store: RaceStore): RaceStore['info'] {
  return useSyncExternalStore(store.subscribe, () => store.info);
}

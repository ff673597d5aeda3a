import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ExperimentConfig } from '../../src/config/experimentConfig';
import type { EngineClient } from '../engineClient';
import { RaceStore } from './raceStore';

/** The part of a config that needs a new race (weights, data, losses); the rest applies live. */
export function raceKey(c: ExperimentConfig): string {
  return JSON.stringify({ seed: c.seed, batchSize: c.batchSize, evalEvery: c.evalEvery, data: c.data, model: c.model, optimizer: c.optimizer.name, losses: c.losses });
}

const FRAME_RATE = 60;

/**
 * Connects the page to the worker's race: configures it when the settings that define a race change (at
 * once while nothing has trained, otherwise after the user agrees to a reset), applies the learning rate,
 * clipping and speed live, and exposes the store the charts read.
 */
export function useRace(engine: EngineClient | null, ready: boolean, config: ExperimentConfig, speed: number) {
  // `ready`: the engine has a backend and the race view is on screen.
  const store = useMemo(() => new RaceStore(), []);
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [configuring, setConfiguring] = useState(false);
  const configRef = useRef(config);
  configRef.current = config;
  const key = raceKey(config);
  const needsReset = running !== null && running !== key;

  useEffect(() => {
    if (!engine) return;
    engine.onSession((e) => store.apply(e));
    return () => engine.onSession(null);
  }, [engine, store]);

  const configure = async () => {
    if (!engine) return;
    setConfiguring(true);
    setError(null);
    try {
      const wanted = configRef.current;
      const info = await engine.request<'race/configure'>({ type: 'race/configure', config: wanted });
      store.start(info);
      setRunning(raceKey(info.config));
      await engine.request<'race/setOptimizer'>({ type: 'race/setOptimizer', patch: wanted.optimizer });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setConfiguring(false);
    }
  };

  // A new engine (first load, or a restart after a crash) gets the current settings, once the race view is
  // shown: until then the worker stays free for the other views' checks.
  const configuredFor = useRef<EngineClient | null>(null);
  useEffect(() => {
    if (engine && ready && configuredFor.current !== engine) {
      configuredFor.current = engine;
      setRunning(null);
      void configure();
    }
  }, [engine, ready]);

  // Race-defining changes apply at once while the race has not trained yet.
  useEffect(() => {
    if (engine && ready && running !== null && running !== key && store.step === 0 && !store.playing) void configure();
  }, [key]);

  const { lr, momentum, beta1, beta2, clipNorm } = config.optimizer;
  useEffect(() => {
    if (engine && running !== null) void engine.request<'race/setOptimizer'>({ type: 'race/setOptimizer', patch: { lr, momentum, beta1, beta2, clipNorm } });
  }, [engine, running, lr, momentum, beta1, beta2, clipNorm]);

  useEffect(() => {
    if (engine && ready) void engine.request<'race/setSpeed'>({ type: 'race/setSpeed', maxStepsPerSecond: speed * FRAME_RATE });
  }, [engine, ready, speed]);

  const send = (type: 'race/play' | 'race/pause' | 'race/step' | 'race/reset') => {
    if (!engine || running === null) return;
    engine.request({ type }).catch((e: Error) => setError(e.message));
  };

  return {
    store,
    ready: running !== null && !configuring,
    needsReset,
    error,
    play: () => send('race/play'),
    pause: () => send('race/pause'),
    toggle: () => send(store.playing ? 'race/pause' : 'race/play'),
    step: () => send('race/step'),
    reset: () => (needsReset ? configure() : send('race/reset')),
    applyChanges: configure,
  };
}

export type RaceControls = ReturnType<typeof useRace>;

/** Re-renders the calling component when the race store announces a change (at its steady drawing rate). */
export function useRaceStore(store: RaceStore): RaceStore {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { REFINE_GRIDS, type LandscapeSettings } from '../../src/landscape/landscapeSettings';
import type { LandscapeResult } from '../../src/landscape/raceLandscape';
import type { Snapshot } from '../../src/train/race';
import type { TrailInfo } from '../../src/worker/landscapeSession';
import { EngineCancelled, type EngineClient } from '../engineClient';

/** The grid being computed now, and how far it is. */
export interface LandscapeStage {
  grid: number;
  done: number;
  total: number;
  startedAt: number;
}

/** A point picked on a run's slice, and the net's predictions there once they arrive. */
export interface PickedPoint {
  run: number;
  i: number;
  j: number;
  snapshot: Snapshot | null;
}

/** The grids a slice goes through: 11 × 11, 21 × 21, then the settings' own (coarser ones are skipped). */
export const gridsFor = (finest: number): number[] => [...REFINE_GRIDS.filter((g) => g < finest), finest];

/**
 * The landscape of the race in the worker, refining the slice grid by grid (the path comes with the first). It is
 * computed whenever the race stands still at a new step (`at`: the step of a trained, paused race, else null) or
 * the settings change. A new computation or Cancel gives the one in flight up; what was drawn stays.
 */
export function useLandscape(engine: EngineClient | null, ready: boolean, settings: LandscapeSettings, at: number | null) {
  const [result, setResult] = useState<LandscapeResult | null>(null);
  const [grid, setGrid] = useState<number | null>(null);
  const [stage, setStage] = useState<LandscapeStage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [picked, setPicked] = useState<PickedPoint | null>(null);
  const [trail, setTrail] = useState<TrailInfo | null>(null);
  const attempt = useRef(0);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const compute = useCallback(async () => {
    if (!engine) return;
    const mine = ++attempt.current;
    const current = () => attempt.current === mine;
    const wanted = settingsRef.current;
    setError(null);
    setCancelled(false);
    setPicked(null);
    let drawn: LandscapeResult | null = null;
    try {
      setTrail(await engine.api.landscapeTrail());
      for (const [n, g] of gridsFor(wanted.grid).entries()) {
        const startedAt = performance.now();
        setStage({ grid: g, done: 0, total: 1, startedAt });
        const next = await engine.api.landscape({ ...wanted, grid: g }, n === 0, (done, total) => {
          if (current()) setStage({ grid: g, done, total, startedAt });
        });
        if (!current()) return;
        // A refined slice comes without its path: the first grid's is kept.
        const previous = drawn as LandscapeResult | null;
        drawn = previous ? { ...next, runs: next.runs.map((r, k) => ({ ...r, path: previous.runs[k].path })) } : next;
        setResult(drawn);
        setGrid(g);
      }
      setStage(null);
      setTrail(await engine.api.landscapeTrail());
    } catch (e) {
      if (!current()) return;
      setStage(null);
      if (e instanceof EngineCancelled) setCancelled(true);
      else setError((e as Error).message);
    }
  }, [engine]);

  const cancel = useCallback(() => {
    if (engine && stage) void engine.api.cancelLandscape();
  }, [engine, stage]);

  const pick = useCallback(
    async (run: number, i: number, j: number) => {
      if (!engine || !result) return;
      const slice = result.runs.find((r) => r.index === run)?.slice;
      if (!slice) return;
      setPicked({ run, i, j, snapshot: null });
      try {
        const snapshot = await engine.api.landscapePredictions(run, slice.x[i], slice.y[j]);
        setPicked((p) => (p && p.run === run && p.i === i && p.j === j ? { ...p, snapshot } : p));
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [engine, result],
  );

  // A trained race standing at a new step, or new settings: compute. The key is the settings as a whole.
  const key = JSON.stringify(settings);
  useEffect(() => {
    if (ready && at !== null) void compute();
  }, [ready, at, key, compute]);

  // Leaving the view (or a new engine) gives the computation up.
  useEffect(
    () => () => {
      attempt.current++;
      if (engine) void engine.api.cancelLandscape().catch(() => undefined);
    },
    [engine],
  );

  useEffect(() => {
    if (engine && ready) engine.api.landscapeTrail().then(setTrail, () => undefined);
  }, [engine, ready]);

  return { result, grid, stage, error, cancelled, picked, trail, compute, cancel, pick };
}

export type LandscapeControls = ReturnType<typeof useLandscape>;

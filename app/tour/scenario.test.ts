import { describe, expect, it } from 'vitest';
import { CHAPTERS } from '../../src/tour/chapters';
import { defaultState } from '../state';
import { parseUrlState } from '../urlState';
import { explorerHref, scenarioState } from '../shell/scenarioState';
import { chapterExperiment, RACE_CHAPTERS } from './scenario';

describe('a chapter in the explorer', () => {
  it('"Open in the explorer" links open exactly the chapter’s race, or its toy in the analytic view, with no correction', () => {
    for (const c of CHAPTERS) {
      const { state, corrections } = parseUrlState(explorerHref(defaultState(), c));
      expect(corrections, c.slug).toEqual([]);
      const want = scenarioState(defaultState(), c);
      expect(state.view, c.slug).toBe(want.view);
      if (c.figure.kind === 'race') {
        expect(state.experiment, c.slug).toEqual(chapterExperiment(c.figure));
        expect(state.ui, c.slug).toEqual(want.ui);
        expect(state.landscape, c.slug).toEqual(want.landscape);
      } else expect(state.surface, c.slug).toEqual(want.surface);
    }
  });

  it('the Scenarios menu lists every race chapter, and the opening race is the collapse chapter’s', () => {
    expect(RACE_CHAPTERS.map((c) => c.slug)).toEqual(CHAPTERS.filter((c) => c.figure.kind === 'race').map((c) => c.slug));
    expect(defaultState().experiment).toEqual(chapterExperiment(RACE_CHAPTERS.find((c) => c.slug === 'collapse')!.figure));
  });

  it('a chapter measured on the landscape opens the Landscape view with its settings', () => {
    const state = scenarioState(
      defaultState(),
      CHAPTERS.find((c) => c.slug === 'landscape')!,
    );
    expect(state.view).toBe('landscape');
    expect(state.landscape).toMatchObject({ grid: 11, dirs: 'random', seed: 1, step: null });
    expect(state.experiment.steps).toBe(200);
  });

  it('the user’s speed survives loading a scenario; the chapter sets the charts', () => {
    const state = { ...defaultState(), ui: { ...defaultState().ui, stepsPerSecond: 30 } };
    const collapse = scenarioState(
      state,
      CHAPTERS.find((c) => c.slug === 'collapse')!,
    );
    expect(collapse.ui).toMatchObject({ stepsPerSecond: 30, grad: 'logit' });
  });
});

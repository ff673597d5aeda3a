import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { parseFields } from '../schema/schema';
import { LANDSCAPE_FIELDS } from '../landscape/landscapeSettings';
import { CHAPTERS } from './chapters';
import { flatRun, landscapeFile, readLandscapeFigures, readPlateauFigure, staleness, type LandscapeFigure } from './figureFiles';
import plateauJson from './figures/plateau.json' with { type: 'json' };
import landscapeJson from './figures/landscape.json' with { type: 'json' };
import { fitUpTo } from './logLogFit';
import { PLATEAU_SETTINGS } from './plateau';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the plateau figure’s file', () => {
  const figure = readPlateauFigure(plateauJson);

  it('is the race of the chapter that shows it, at the settings the engine uses', () => {
    const shows = CHAPTERS.filter((c) => c.figure.kind === 'race' && c.figure.plateau);
    expect(shows).toHaveLength(1);
    const race = shows[0].figure.kind === 'race' ? shows[0].figure.config : null;
    expect(figure.config).toEqual(parseExperimentConfig({ ...race, steps: PLATEAU_SETTINGS.maxSteps }));
    const { priors, threshold, maxSteps, fitUpTo: upTo, coarse } = figure;
    expect({ priors, threshold, maxSteps, fitUpTo: upTo, coarse }).toEqual(PLATEAU_SETTINGS);
  });

  it('has every loss of its race, a step (or null) per prior, and fits that follow from the steps', () => {
    expect(figure.runs.map((r) => r.loss)).toEqual(figure.config.losses);
    for (const run of figure.runs) {
      expect(run.steps).toHaveLength(figure.priors.length);
      for (const s of run.steps) if (s !== null) expect(s).toBeLessThanOrEqual(figure.maxSteps);
      const fit = fitUpTo(figure.priors, run.steps, figure.fitUpTo);
      expect(run.fit?.slope).toBeCloseTo(fit!.slope, 3);
      expect(run.fit?.intercept).toBeCloseTo(fit!.intercept, 3);
    }
    // The plateau the figure is about: 1 − IoU takes longer from every lower prior.
    const flat = flatRun(figure)!.steps;
    for (let i = 1; i < flat.length; i++) expect(flat[i]!, `prior ${figure.priors[i]}`).toBeGreaterThan(flat[i - 1]!);
  });

  it('rejects a file of another form with a message naming what is wrong', () => {
    expect(() => readPlateauFigure({ ...clone(plateauJson), priors: 'many' })).toThrow(/plateau\.json: priors/);
    const short = clone(plateauJson);
    short.runs[1].steps.pop();
    expect(() => readPlateauFigure(short)).toThrow(/runs\[1\]\.steps has 5 values for 6 priors/);
    expect(() => readPlateauFigure({ ...clone(plateauJson), config: { losses: 'x' } })).toThrow();
  });
});

describe('the landscape figures’ file', () => {
  const figures = readLandscapeFigures(landscapeJson);
  const chapters = CHAPTERS.filter((c) => c.figure.kind === 'race' && c.figure.landscape);

  it('holds one figure per chapter with a landscape, computed from its race at its settings, small', () => {
    expect(Object.keys(figures).sort()).toEqual(chapters.map((c) => c.slug).sort());
    for (const c of chapters) {
      if (c.figure.kind !== 'race') continue;
      const figure = figures[c.slug];
      expect(figure.config).toEqual(parseExperimentConfig(c.figure.config));
      expect(figure.settings).toEqual(parseFields(LANDSCAPE_FIELDS, c.figure.landscape, 'landscape'));
      expect(figure.step).toBe(figure.config.steps);
      expect(figure.runs.map((r) => r.index)).toEqual(figure.config.losses.map((_, i) => i));
      for (const run of figure.runs) {
        expect(run.slice.x).toHaveLength(figure.settings.grid);
        expect(run.slice.loss).toHaveLength(figure.settings.grid ** 2);
        expect(run.path.loss).toHaveLength(figure.settings.path);
      }
      expect(figure.settings.grid).toBeGreaterThanOrEqual(11);
      expect(figure.settings.grid).toBeLessThanOrEqual(21);
    }
  });

  it('writes a value that is not finite as null and reads it back as NaN', () => {
    const [slug] = Object.keys(figures);
    const figure: LandscapeFigure = clone(figures[slug]);
    figure.runs[0].slice.loss[0] = Infinity;
    const back = readLandscapeFigures({ [slug]: clone(landscapeFile(figure)) })[slug];
    expect(back.runs[0].slice.loss[0]).toBeNaN();
    expect(back.runs[0].slice.loss[1]).toBe(figure.runs[0].slice.loss[1]);
  });

  it('rejects a slice of the wrong size', () => {
    const [slug] = Object.keys(figures);
    const bad = clone(landscapeJson) as Record<string, { runs: { slice: { iou: number[] } }[] }>;
    bad[slug].runs[0].slice.iou.pop();
    const n = figures[slug].settings.grid;
    expect(() => readLandscapeFigures(bad)).toThrow(`runs[0].slice.iou is not ${n} × ${n}`);
  });
});

describe('a stale figure', () => {
  it('is found where it differs, and a current one is not', () => {
    expect(staleness(plateauJson, clone(plateauJson), 0)).toBeNull();
    const moved = clone(plateauJson);
    moved.runs[0].steps[3] += 2;
    expect(staleness(plateauJson, moved, 0)).toBe(
      `runs[0].steps[3]: committed ${plateauJson.runs[0].steps[3]}, now ${moved.runs[0].steps[3]}`,
    );
    expect(staleness({ a: [1, 2] }, { a: [1, 2, 3] })).toBe('a: committed 2 values, now 3');
    expect(staleness({ a: 1 }, { a: 1.0005 })).toBeNull();
    expect(staleness({ a: 1 }, { a: 1.01 })).toBe('a: committed 1, now 1.01');
    expect(staleness({ a: 1 }, { b: 1 })).toBe('a: committed 1, now nothing');
  });
});

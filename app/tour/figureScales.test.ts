import { describe, expect, it } from 'vitest';
import { FLAT_LOSS } from '../../src/losses/lesson';
import { flatRun, readLandscapeFigures, readPlateauFigure, type PlateauFigure } from '../../src/tour/figureFiles';
import landscapeJson from '../../src/tour/figures/landscape.json' with { type: 'json' };
import plateauJson from '../../src/tour/figures/plateau.json' with { type: 'json' };
import { position } from '../landscape/sliceScales';
import { PLATEAU_MARGIN, plateauLayout, powerText, sharedDomain, slopeText, stepsText } from './figureScales';

const FIGURE = readPlateauFigure(plateauJson);
const FLAT = FIGURE.runs.indexOf(flatRun(FIGURE)!);

describe('the plateau chart’s scales', () => {
  for (const width of [358, 820]) {
    it(`at ${width} px: every point inside the plot, lower priors to the left, more steps higher up`, () => {
      const layout = plateauLayout(FIGURE, width, 270, FLAT);
      expect(layout.innerW).toBe(width - PLATEAU_MARGIN.left - PLATEAU_MARGIN.right);
      for (const run of layout.runs) {
        for (const p of run.points) {
          expect(p.x).toBeGreaterThan(0);
          expect(p.x).toBeLessThan(layout.innerW);
          expect(p.y).toBeGreaterThan(0);
          expect(p.y).toBeLessThan(layout.innerH);
        }
        expect(run.path).toMatch(/^M/);
      }
      const flat = layout.runs[FLAT].points;
      // Priors run from large to small in the figure: x falls along them, and 1 − IoU's steps rise, so y falls.
      for (let i = 1; i < flat.length; i++) {
        expect(flat[i].x).toBeLessThan(flat[i - 1].x);
        expect(flat[i].y).toBeLessThan(flat[i - 1].y);
      }
      for (const t of [...layout.xTicks, ...layout.yTicks]) expect(Number.isFinite('x' in t ? t.x : t.y)).toBe(true);
      expect(layout.yTicks.map((t) => t.label)).toContain('100');
    });
  }

  it('labels the priors as powers of ten, only the decades where the axis is narrow', () => {
    const wide = plateauLayout(FIGURE, 820, 270, FLAT).xTicks.map((t) => t.label);
    expect(wide).toEqual(FIGURE.priors.map(powerText));
    const narrow = plateauLayout(FIGURE, 300, 270, FLAT).xTicks.map((t) => t.label);
    expect(narrow.filter(Boolean).every((l) => l!.startsWith('10'))).toBe(true);
    expect(narrow.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(powerText(1e-2)).toBe('10⁻²');
    expect(powerText(3e-5)).toBe('3·10⁻⁵');
    expect(stepsText(2255)).toBe('2\u2009255');
    expect(slopeText(-0.8901)).toBe('−0.89');
  });

  it('draws 1 − IoU’s fitted line across the priors, through the points it was fitted to', () => {
    const layout = plateauLayout(FIGURE, 820, 270, FLAT);
    const fit = layout.fit!;
    expect(fit.fit).toEqual(FIGURE.runs[FLAT].fit);
    const points = layout.runs[FLAT].points;
    expect([fit.x1, fit.x2].sort((a, b) => a - b)).toEqual([Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))]);
    // Both axes are logarithmic: the fit is a straight line in pixels, within a few of each point it was fitted to.
    const lineAt = (px: number) => fit.y1 + ((px - fit.x1) / (fit.x2 - fit.x1)) * (fit.y2 - fit.y1);
    const fitted = points.filter((p) => p.prior <= FIGURE.fitUpTo);
    expect(fitted.length).toBe(fit.fit.points);
    for (const p of fitted) expect(Math.abs(lineAt(p.x) - p.y), `p = ${p.prior}`).toBeLessThan(10);
    // The highest prior was not fitted: its point sits well above the line (the steps any loss needs to learn).
    const highest = points[0];
    expect(lineAt(highest.x) - highest.y).toBeGreaterThan(10);
  });

  it('puts a run that never passed at the cap', () => {
    const capped: PlateauFigure = {
      ...FIGURE,
      runs: FIGURE.runs.map((r, i) => (i === FLAT ? { ...r, steps: [...r.steps.slice(0, -1), null] } : r)),
    };
    const layout = plateauLayout(capped, 820, 270, FLAT);
    const last = layout.runs[FLAT].points.at(-1)!;
    expect(last.steps).toBeNull();
    const top = layout.runs.flatMap((r) => r.points.map((p) => p.y));
    expect(last.y).toBe(Math.min(...top));
  });
});

describe('the landscape figure’s colour scale', () => {
  const figures = readLandscapeFigures(landscapeJson);
  for (const [slug, figure] of Object.entries(figures)) {
    it(`${slug}: one log scale over every run’s loss, on which the flat run’s map is one colour`, () => {
      const domain = sharedDomain(figure.runs, 'loss', true);
      for (const run of figure.runs) for (const v of run.slice.loss.filter(Number.isFinite)) expect(v).toBeGreaterThanOrEqual(domain[0]);
      const spanOf = (values: number[]) => {
        const t = values.filter(Number.isFinite).map((v) => position(v, domain, true));
        return Math.max(...t) - Math.min(...t);
      };
      const spans = figure.runs.map((r) => spanOf(r.slice.loss));
      const flat = figure.runs.findIndex((r) => r.loss.id === FLAT_LOSS);
      // 1 − IoU's map spans a sliver of the ramp (one colour); the others span most of it.
      expect(spans[flat]).toBeLessThan(0.05);
      for (const [i, s] of spans.entries()) if (i !== flat) expect(s).toBeGreaterThan(0.3);
    });
  }
});

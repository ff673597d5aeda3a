import { lazy } from 'react';
import type { ExperimentConfig } from '../../src/config/experimentConfig';
import { lossInfo } from '../../src/losses/registry';
import type { AnalyticPart } from '../../src/tour/chapters';
import type { SettingsSection, ViewContext, ViewEntry } from '../views/viewEntry';
import { raceView } from '../race/entry';
import { defaultSurface, SURFACE_FIELDS, type SurfaceSettings } from './surfaceSettings';

const SurfaceView = lazy(() => import('./SurfaceView').then((m) => ({ default: m.SurfaceView })));

const surfaceSection = {
  key: 'surface',
  fields: SURFACE_FIELDS,
  defaults: defaultSurface,
  losses: { param: 'sl', what: 'analytic-view losses', owner: 'the analytic view' },
} as const satisfies SettingsSection<'surface', SurfaceSettings>;

/** "Train from here": the race starts where the toy is (binary, output prior p_fg) with the toy's losses. */
function raceFromToy(surface: SurfaceSettings, experiment: ExperimentConfig): ExperimentConfig {
  const losses = surface.losses.filter((l) => lossInfo(l.id)?.tasks.includes('binary'));
  return {
    ...experiment,
    data: { ...experiment.data, classes: 2 },
    model: { ...experiment.model, outputPrior: Math.min(0.999999, Math.max(1e-6, surface.pFg)) },
    losses: losses.length ? losses : experiment.losses,
  };
}

/** One part of the analytic view as an embedded figure. */
const part = (id: AnalyticPart, name: string) => ({
  id,
  name,
  render: (ctx: ViewContext<SurfaceSettings>) => <SurfaceView surface={ctx.settings} onChange={ctx.onSettings} parts={[id]} />,
});

/** The analytic view: no network, every loss's value and gradient on a toy prediction, in closed form. */
export const surfaceView = {
  id: 'surface',
  title: 'Confidence & surfaces',
  render: (ctx: ViewContext<SurfaceSettings>) => (
    <SurfaceView
      surface={ctx.settings}
      onChange={ctx.onSettings}
      onTrain={() => ctx.show(raceView.id, raceFromToy(ctx.settings, ctx.experiment))}
    />
  ),
  settings: surfaceSection,
  figures: [part('curves', 'the analytic curves along p_fg'), part('surfaces', 'the analytic loss surfaces')],
} as const satisfies ViewEntry<'surface', SurfaceSettings>;

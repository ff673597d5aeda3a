// A chapter's figure as the explorer's settings: what "Open in the explorer" and the Scenarios menu load.
import { parseExperimentConfig, type ExperimentConfig } from '../../src/config/experimentConfig';
import { parseFields } from '../../src/schema/schema';
import { resolveLoss } from '../../src/losses/registry';
import { CHAPTERS, type AnalyticFigure, type Chapter, type RaceFigure } from '../../src/tour/chapters';
import { UI_FIELDS, type UiSettings } from '../uiSettings';
import { SURFACE_FIELDS, type SurfaceSettings } from '../surface/surfaceSettings';

/** The chapters whose figure is a race: the Scenarios menu. */
export const RACE_CHAPTERS = CHAPTERS.filter((c): c is Chapter & { figure: RaceFigure } => c.figure.kind === 'race');

export const chapterExperiment = (figure: RaceFigure): ExperimentConfig => parseExperimentConfig(figure.config);

/** The charts' selectors a race chapter asks for, over the defaults (the speed stays the user's). */
export function chapterUi(figure: RaceFigure, current: UiSettings): UiSettings {
  return { ...parseFields(UI_FIELDS, figure.charts ?? {}, 'charts'), stepsPerSecond: current.stepsPerSecond };
}

export function chapterSurface(figure: AnalyticFigure): SurfaceSettings {
  return { ...parseFields(SURFACE_FIELDS, figure.toy, 'toy'), losses: figure.losses.map((l) => resolveLoss(l)) };
}

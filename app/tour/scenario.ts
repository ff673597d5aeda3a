// A chapter's figure as the explorer's settings: what "Open in the explorer" and the Scenarios menu load.
import { parseExperimentConfig, type ExperimentConfig } from '../../src/config/experimentConfig';
import { parseFields } from '../../src/schema/schema';
import { resolveLoss } from '../../src/losses/registry';
import { CHAPTERS, type AnalyticFigure, type Chapter, type RaceFigure } from '../../src/tour/chapters';
import { SURFACE_FIELDS, UI_FIELDS, type AppState, type SurfaceSettings, type UiSettings } from '../state';
import { encodeUrlState } from '../urlState';
import { LANDSCAPE_FIELDS } from '../../src/landscape/landscapeSettings';

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

/** The explorer showing a chapter's figure: its race in the race view, or its toy in the analytic view. */
export function scenarioState(state: AppState, chapter: Chapter): AppState {
  const { figure } = chapter;
  if (figure.kind === 'race') {
    const race = { ...state, experiment: chapterExperiment(figure), ui: chapterUi(figure, state.ui) };
    return figure.landscape
      ? { ...race, view: 'landscape', landscape: parseFields(LANDSCAPE_FIELDS, figure.landscape, 'landscape') }
      : { ...race, view: 'race' };
  }
  return { ...state, view: 'surface', surface: chapterSurface(figure) };
}

/** "Open in the explorer": a link to the chapter's figure in the explorer. */
export const explorerHref = (state: AppState, chapter: Chapter, backend?: string | null): string =>
  encodeUrlState(scenarioState(state, chapter), backend);

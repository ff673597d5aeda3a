import { parseFields } from '../../src/schema/schema';
import type { Chapter } from '../../src/tour/chapters';
import { landscapeView } from '../landscape/entry';
import { raceView } from '../race/entry';
import { surfaceView } from '../surface/entry';
import { chapterExperiment, chapterSurface, chapterUi } from '../tour/scenario';
import { withViewSettings, type AppState } from '../state';
import { encodeUrlState } from '../urlState';

/** The explorer showing a chapter's figure: its race in the race view (or on its landscape), or its toy in the analytic view. */
export function scenarioState(state: AppState, chapter: Chapter): AppState {
  const { figure } = chapter;
  if (figure.kind === 'analytic')
    return withViewSettings({ ...state, view: surfaceView.id }, surfaceView.settings.key, chapterSurface(figure));
  const race = { ...state, experiment: chapterExperiment(figure), ui: chapterUi(figure, state.ui) };
  if (!figure.landscape) return { ...race, view: raceView.id };
  const { key, fields } = landscapeView.settings;
  return withViewSettings({ ...race, view: landscapeView.id }, key, parseFields(fields, figure.landscape, 'landscape'));
}

/** "Open in the explorer": a link to the chapter's figure in the explorer. */
export const explorerHref = (state: AppState, chapter: Chapter, backend?: string | null): string =>
  encodeUrlState(scenarioState(state, chapter), backend);

import { useCallback, type Dispatch, type SetStateAction } from 'react';
import type { ExperimentConfig } from '../../src/config/experimentConfig';
import type { DataSourceControls } from '../data/useDataSource';
import { findChapter } from '../../src/tour/chapters';
import type { UiSettings } from '../uiSettings';
import { tourView } from '../tour/entry';
import { isView } from '../views/registry';
import type { ViewContext, ViewEntry } from '../views/viewEntry';
import { defaultState, viewSettingsOf, withViewSettings, type AppState } from '../state';
import { encodeUrlState } from '../urlState';
import type { EngineState } from './useEngine';
import { useGpuOffer } from './useGpuOffer';
import type { useRaceScope } from './useRaceScope';
import { explorerHref, scenarioState } from './scenarioState';

/**
 * What the page gives the view on screen (and an embedded figure): the settings and their setters, the race, the
 * engine, the tour's chapter, and the links out. `appHref`: an embedded figure's link to the whole explorer.
 */
export function useViewContext(
  state: AppState,
  setState: Dispatch<SetStateAction<AppState>>,
  entry: ViewEntry,
  { race, chapter, callout, newExplorerRace }: ReturnType<typeof useRaceScope>,
  { engine, report }: EngineState,
  backend: string | undefined,
  data: DataSourceControls,
): { ctx: ViewContext; appHref: string } {
  const onExperiment = useCallback((experiment: ExperimentConfig) => setState((s) => ({ ...s, experiment })), [setState]);
  const onUi = useCallback((p: Partial<UiSettings>) => setState((s) => ({ ...s, ui: { ...s.ui, ...p } })), [setState]);
  const onChapter = useCallback((slug: string) => setState((s) => ({ ...s, view: tourView.id, chapter: slug })), [setState]);
  const onScenario = useCallback(
    (slug: string) => {
      const c = findChapter(slug);
      if (!c) return;
      newExplorerRace();
      setState((s) => scenarioState(s, c));
    },
    [newExplorerRace, setState],
  );
  const gpuOffer = useGpuOffer(report, state.experiment, (setting) => {
    newExplorerRace();
    onExperiment(setting);
  });
  const section = entry.settings?.key;
  const embedded = state.embed.embed;
  const appHref = embedded ? `${window.location.pathname}${encodeUrlState({ ...state, embed: defaultState().embed }, backend)}` : '';
  const ctx: ViewContext = {
    experiment: state.experiment,
    onExperiment,
    ui: state.ui,
    onUi,
    settings: section === undefined ? undefined : viewSettingsOf(state, section),
    onSettings: (value) => section !== undefined && setState((s) => withViewSettings(s, section, value)),
    race,
    data,
    engine,
    report,
    chapter,
    onChapter,
    onScenario,
    show: (view, experiment) => isView(view) && setState((s) => ({ ...s, view, experiment: experiment ?? s.experiment })),
    explorerHref: embedded ? appHref : explorerHref(state, chapter, backend),
    embedded,
    callout,
    gpuOffer,
  };
  return { ctx, appHref };
}

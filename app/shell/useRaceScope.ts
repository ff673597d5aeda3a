import { useEffect, useMemo, useRef, useState } from 'react';
import { CHAPTERS, findChapter, OPENING_SCENARIO } from '../../src/tour/chapters';
import type { DataSourceControls } from '../data/useDataSource';
import { followsImport } from '../data/followImport';
import { useRace } from '../race/useRace';
import { chapterExperiment } from '../tour/scenario';
import { VIEW_IDS } from '../views/registry';
import type { ViewEntry } from '../views/viewEntry';
import { openingExperiment, type AppState } from '../state';
import type { EngineState } from './useEngine';

/**
 * The page's one race, which serves the explorer and the tour's race chapters. Its scope says whose it is, so
 * moving between them replaces it at once; a scenario loaded into the explorer starts a new explorer scope for the
 * same reason (newExplorerRace).
 */
export function useRaceScope(
  state: AppState,
  entry: ViewEntry,
  { engine, report }: EngineState,
  embedded: boolean,
  data: DataSourceControls,
) {
  const chapter = findChapter(state.chapter) ?? CHAPTERS[0];
  const chapterRace = entry.race === 'chapter' && chapter.figure.kind === 'race' ? chapter.figure : null;
  const chapterConfig = useMemo(() => (chapterRace ? chapterExperiment(chapterRace) : null), [chapterRace]);
  const [explorerEpoch, setExplorerEpoch] = useState(0);
  const [calloutDismissed, setCalloutDismissed] = useState(false);
  // The first page's hint: its numbers were measured with exactly these settings, learning rate and clipping
  // included (which a race's identity leaves out, as they change live).
  const openingSettings = useMemo(() => JSON.stringify(openingExperiment()), []);
  const showCallout = !calloutDismissed && JSON.stringify(state.experiment) === openingSettings;
  // Where the race stops by itself: a chapter's measured step, and the first page's while its hint (a claim
  // measured there) is on screen, which an embedded race figure never shows. Elsewhere the race runs until paused.
  const hintStops = state.view === VIEW_IDS[0] && showCallout && !embedded;
  const openingStop = hintStops ? OPENING_SCENARIO.config.steps : null;
  const race = useRace(
    engine,
    report !== null && (entry.race === 'explorer' || chapterRace !== null),
    chapterConfig ?? state.experiment,
    // Ready once imported and once the settings follow its channels and classes (a render apart at most).
    { imported: data.imported, ready: data.imported !== null && followsImport(state.experiment, data.imported) },
    state.ui.stepsPerSecond,
    report?.backend ?? null,
    chapterRace ? `tour-${chapter.slug}` : `explorer-${explorerEpoch}`,
    chapterRace ? chapterRace.config.steps : openingStop,
  );

  // A chapter's race never outlives the chapter: leaving it (another chapter, another view) pauses it. A chapter
  // without a race pauses whatever trained before, which is off screen now.
  const pauseRef = useRef(race.pause);
  pauseRef.current = race.pause;
  const inChapters = entry.race === 'chapter';
  const chapterRaces = chapterRace !== null;
  useEffect(() => {
    if (!inChapters) return;
    if (!chapterRaces) pauseRef.current();
    return () => pauseRef.current();
  }, [inChapters, chapter.slug, chapterRaces]);

  return {
    race,
    chapter,
    callout: showCallout ? { onDismiss: () => setCalloutDismissed(true) } : null,
    newExplorerRace: () => setExplorerEpoch((e) => e + 1),
  };
}

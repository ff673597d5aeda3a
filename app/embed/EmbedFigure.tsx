import { lazy, Suspense, type ReactNode } from 'react';
import type { Chapter } from '../../src/tour/chapters';
import { LiveCharts, PredictionsCard, RaceControlsCard } from '../race/RaceView';
import type { RaceControls } from '../race/useRace';
import type { AppState, SurfaceSettings, UiSettings } from '../state';

const SurfaceView = lazy(() => import('../surface/SurfaceView').then((m) => ({ default: m.SurfaceView })));
const TourView = lazy(() => import('../tour/TourView').then((m) => ({ default: m.TourView })));

/**
 * One figure and nothing else, for an iframe in a course page or a blog post: the race's charts with a compact
 * transport, the analytic view's curves or surfaces, or one chapter of the tour. A link opens the whole explorer
 * with the same settings.
 */
export function EmbedFigure({
  state,
  race,
  chapter,
  appHref,
  onUi,
  onSurface,
  notices,
}: {
  state: AppState;
  race: RaceControls;
  chapter: Chapter;
  appHref: string;
  onUi: (p: Partial<UiSettings>) => void;
  onSurface: (s: SurfaceSettings) => void;
  notices: ReactNode;
}) {
  const { fig } = state.embed;
  let figure: ReactNode;
  if (fig === 'race' || fig === 'race-full') {
    figure = (
      <div className="race">
        <RaceControlsCard race={race} />
        <LiveCharts race={race} ui={state.ui} onUi={onUi} />
        {fig === 'race-full' && <PredictionsCard store={race.store} />}
      </div>
    );
  } else if (fig === 'tour') {
    figure = <TourView chapter={chapter} onChapter={() => {}} race={race} ui={state.ui} explorerHref={appHref} single />;
  } else {
    figure = <SurfaceView surface={state.surface} onChange={onSurface} parts={[fig]} />;
  }
  return (
    <div className="embed">
      {notices}
      <Suspense fallback={<p className="loading">Loading the figure…</p>}>{figure}</Suspense>
      <p className="embed-foot">
        <a href={appHref} target="_blank" rel="noopener">
          Open in Seg Loss Playground ↗
        </a>
      </p>
    </div>
  );
}

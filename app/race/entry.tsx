import type { ViewContext, ViewEntry } from '../views/viewEntry';
import { isTyping } from '../views/keys';
import { tourView } from '../tour/entry';
import { LiveCharts, PredictionsCard, RaceControlsCard, RaceView } from './RaceView';

/** The race's embeddable figure: the three charts under a compact transport, with the predictions or without. */
const raceFigure = (predictions: boolean) => (ctx: ViewContext<undefined>) => (
  <div className="race">
    <RaceControlsCard race={ctx.race} />
    <LiveCharts race={ctx.race} ui={ctx.ui} onUi={ctx.onUi} />
    {predictions && <PredictionsCard store={ctx.race.store} />}
  </div>
);

/** The explorer's race. It comes with the page (it is the first page), so it is not loaded lazily. */
export const raceView = {
  id: 'race',
  title: 'Loss race',
  race: 'explorer',
  render: (ctx: ViewContext<undefined>) => (
    <RaceView
      experiment={ctx.experiment}
      ui={ctx.ui}
      race={ctx.race}
      onExperiment={ctx.onExperiment}
      onUi={ctx.onUi}
      onScenario={ctx.onScenario}
      callout={ctx.callout && { onTour: () => ctx.show(tourView.id), onDismiss: ctx.callout.onDismiss }}
      gpu={ctx.gpuOffer}
      data={ctx.data}
    />
  ),
  // Space plays, → steps, R resets.
  keys: (e: KeyboardEvent, ctx: ViewContext<undefined>) => {
    if (isTyping(e.target)) return false;
    if (e.key === ' ') ctx.race.toggle();
    else if (e.key === 'ArrowRight') ctx.race.step();
    else if (e.key === 'r' || e.key === 'R') ctx.race.reset();
    else return false;
    return true;
  },
  figures: [
    { id: 'race', name: 'the race: three charts and Play', render: raceFigure(false) },
    { id: 'race-full', name: 'the race with its predictions', render: raceFigure(true) },
  ],
} as const satisfies ViewEntry<'race', undefined>;

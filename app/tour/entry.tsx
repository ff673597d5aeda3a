import { lazy } from 'react';
import { CHAPTERS } from '../../src/tour/chapters';
import type { ViewContext, ViewEntry } from '../views/viewEntry';
import { isEditing, isTyping } from '../views/keys';

const TourView = lazy(() => import('./TourView').then((m) => ({ default: m.TourView })));

/** ← and → turn the chapters. */
const TURNS: Partial<Record<string, number>> = { ArrowRight: 1, ArrowLeft: -1 };

/** The guided tour: one chapter at a time, its race (if it has one) its own. */
export const tourView = {
  id: 'tour',
  title: 'Guided tour',
  race: 'chapter',
  render: (ctx: ViewContext<undefined>) => (
    <TourView
      chapter={ctx.chapter}
      onChapter={ctx.onChapter}
      race={ctx.race}
      ui={ctx.ui}
      explorerHref={ctx.explorerHref}
      onOpen={() => ctx.onScenario(ctx.chapter.slug)}
    />
  ),
  keys: (e: KeyboardEvent, ctx: ViewContext<undefined>) => {
    // The arrows turn the chapters even from the Next button or a chapter link (not in an embedded chapter).
    const turn = ctx.embedded || isEditing(e.target) ? undefined : TURNS[e.key];
    if (turn) {
      const next = CHAPTERS[CHAPTERS.indexOf(ctx.chapter) + turn];
      if (next) ctx.onChapter(next.slug);
      return true;
    }
    if (isTyping(e.target) || e.key !== ' ' || ctx.chapter.figure.kind !== 'race') return false;
    ctx.race.toggle();
    return true;
  },
  figures: [
    {
      id: 'tour',
      name: 'this chapter of the tour',
      render: (ctx: ViewContext<undefined>) => (
        <TourView chapter={ctx.chapter} onChapter={() => {}} race={ctx.race} ui={ctx.ui} explorerHref={ctx.explorerHref} single />
      ),
    },
  ],
} as const satisfies ViewEntry<'tour', undefined>;

import { Suspense, type ReactNode } from 'react';
import { FIGURES, viewEntry } from '../views/registry';
import type { ViewContext } from '../views/viewEntry';
import './EmbedFigure.css';

/**
 * One figure and nothing else, for an iframe in a course page or a blog post: a figure a view's entry declares
 * (the race's charts with a compact transport, the analytic view's curves or surfaces, one chapter of the tour).
 * A link opens the whole explorer with the same settings.
 */
export function EmbedFigure({ fig, ctx, appHref, notices }: { fig: string; ctx: ViewContext; appHref: string; notices: ReactNode }) {
  const figure = FIGURES.find((f) => f.id === fig) ?? FIGURES[0];
  // A race on imported data names it: a reader of the host page sees what the figure was trained on.
  const data = viewEntry(figure.view).race === 'explorer' ? ctx.data.imported : null;
  return (
    <div className="embed">
      {notices}
      <Suspense fallback={<p className="loading">Loading the figure…</p>}>{figure.render(ctx)}</Suspense>
      <p className="embed-foot">
        {data && (
          <span className="embed-data">
            Trained on {data.name} ({data.pairs.length} image pairs).{' '}
          </span>
        )}
        <a href={appHref} target="_blank" rel="noopener">
          Open in Seg Loss Playground ↗
        </a>
      </p>
    </div>
  );
}

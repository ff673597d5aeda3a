import { lazy, Suspense, useState } from 'react';
import type { BackendReport } from '../../src/backend/types';
import { BackendBadge } from '../BackendBadge';
import type { RaceStore } from '../race/raceStore';
import { useRaceStore } from '../race/useRace';
import { sourceLink } from '../sourceLink';
import { VIEWS, type View } from '../views/registry';
import type { AppState } from '../state';
import './TopBar.css';

const EmbedDialog = lazy(() => import('../embed/EmbedDialog').then((m) => ({ default: m.EmbedDialog })));

function LiveBadge({ store: s, report, error }: { store: RaceStore; report: BackendReport | null; error: string | null }) {
  const store = useRaceStore(s);
  return (
    <BackendBadge report={report} error={error} stepsPerSecond={store.playing ? store.stepsPerSecond : null} memory={store.engineMemory} />
  );
}

/** The page's header: the title and question, a tab per view, the engine's badge, Embed and the source link. */
export function TopBar({
  state,
  onView,
  store,
  report,
  engineError,
  backend,
}: {
  state: AppState;
  onView: (view: View) => void;
  store: RaceStore;
  report: BackendReport | null;
  engineError: string | null;
  backend: string | undefined;
}) {
  const [embedOpen, setEmbedOpen] = useState(false);
  return (
    <header className="top">
      <div className="title">
        <h1>Seg Loss Playground</h1>
        <p className="question">We report IoU. Why not train on it?</p>
      </div>
      <nav className="views" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={state.view === v.id ? 'tab tab-active' : 'tab'}
            aria-current={state.view === v.id ? 'page' : undefined}
            onClick={() => onView(v.id)}
          >
            {v.title}
          </button>
        ))}
      </nav>
      <LiveBadge store={store} report={report} error={engineError} />
      <button type="button" className="embed-button" onClick={() => setEmbedOpen(true)}>
        Embed
      </button>
      {embedOpen && (
        <Suspense fallback={null}>
          <EmbedDialog state={state} backend={backend} onClose={() => setEmbedOpen(false)} />
        </Suspense>
      )}
      <a
        className="source-link"
        href={sourceLink.href}
        title={sourceLink.archive ? 'Download the source code of this page' : 'The source code repository'}
        download={sourceLink.archive ? 'seg-loss-playground-source.tgz' : undefined}
      >
        {sourceLink.archive ? 'Source (.tgz)' : 'Source'}
      </a>
    </header>
  );
}

import { Suspense, useCallback, useMemo, useRef, useState } from 'react';
import type { ExperimentConfig } from '../src/config/experimentConfig';
import { readBackendParam } from './backendParam';
import { DataNotices } from './data/DataNotices';
import { useDataSource } from './data/useDataSource';
import { EmbedFigure } from './embed/EmbedFigure';
import { raceView } from './race/entry';
import { useEmbed } from './embed/useEmbed';
import { Notices } from './shell/Notices';
import { TopBar } from './shell/TopBar';
import { useEngine } from './shell/useEngine';
import { useKeys } from './shell/useKeys';
import { useRaceScope } from './shell/useRaceScope';
import { useTheme } from './shell/useTheme';
import { useUrlSync } from './shell/useUrlSync';
import { useViewContext } from './shell/useViewContext';
import { viewEntry, type View } from './views/registry';
import type { AppState } from './state';
import { encodeUrlState, parseUrlState, type ParsedUrl } from './urlState';

/**
 * The page: a shell around the view on screen, which the view registry (app/views/registry.ts) draws. It holds the
 * state (mirrored in the address), the engine, the race and, in figure mode, the embed's lifecycle.
 */
export function App({ search }: { search: string }) {
  const backendParam = useMemo(() => readBackendParam(search), [search]);
  const backend = backendParam.requested;
  const initial = useMemo(() => parseUrlState(search), [search]);
  const [state, setState] = useState<AppState>(initial.state);
  const [corrections, setCorrections] = useState<string[]>(initial.corrections);
  const embedded = state.embed.embed;
  // An embedded figure starts its engine only when it comes near the viewport.
  const [near, setNear] = useState(!embedded);
  const figureRoot = useRef<HTMLDivElement>(null);
  const engine = useEngine(backendParam, near);
  const entry = viewEntry(state.view);
  const setExperiment = useCallback(
    (update: (c: ExperimentConfig) => ExperimentConfig) => setState((s) => ({ ...s, experiment: update(s.experiment) })),
    [],
  );
  const data = useDataSource(state.experiment, setExperiment, near);
  const scope = useRaceScope(state, entry, engine, embedded, data);
  const { race } = scope;
  const { ctx, appHref } = useViewContext(state, setState, entry, scope, engine, backend, data);
  const readAddress = ({ state: parsed, corrections: corrected }: ParsedUrl) => {
    setState(parsed);
    setCorrections(corrected);
  };
  useUrlSync(state, backend, embedded, readAddress);
  useKeys(entry, ctx);
  useTheme(state.embed.theme);
  useEmbed({
    enabled: embedded,
    root: figureRoot,
    race,
    autoplay: state.embed.autoplay,
    query: encodeUrlState(state, backend),
    // The host's query is read like an address: bad values are corrected (and listed), never executed.
    onRequest: ({ query }) => {
      const parsed = parseUrlState(query);
      readAddress({ ...parsed, state: { ...parsed.state, embed: state.embed, view: state.view } });
    },
    onNear: () => setNear(true),
    held: near,
    releaseAfterSeconds: state.embed.release,
    onRelease: async () => {
      await race.park().catch(() => undefined);
      setNear(false);
    },
  });

  // The race view's data panel says all of it there; elsewhere only a race of these settings needs to hear of the data.
  const quietData = !embedded && (state.view === raceView.id || entry.race !== 'explorer');
  const notices = (
    <>
      <DataNotices data={data} quiet={quietData} />
      <Notices
        messages={[backendParam.notice, engine.report?.requestNotice]}
        corrections={corrections}
        onCorrectionsSeen={() => setCorrections([])}
        crash={engine.crash}
        onCrashSeen={engine.dismissCrash}
        engineError={engine.error}
      />
    </>
  );

  if (embedded) {
    return (
      <div ref={figureRoot} className="embed-root">
        <EmbedFigure fig={state.embed.fig} ctx={ctx} appHref={appHref} notices={notices} />
      </div>
    );
  }
  return (
    <>
      <TopBar
        state={state}
        onView={(view: View) => setState((s) => ({ ...s, view }))}
        store={race.store}
        report={engine.report}
        engineError={engine.error}
        backend={backend}
      />
      <main>
        {notices}
        <Suspense fallback={<p className="loading">Loading the view…</p>}>{entry.render(ctx)}</Suspense>
      </main>
    </>
  );
}

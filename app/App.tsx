import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendName, BackendReport } from '../src/backend/types';
import { raceIdentity, type ExperimentConfig } from '../src/config/experimentConfig';
import { BackendBadge } from './BackendBadge';
import { EngineClient } from './engineClient';
import { readBackendParam } from './backendParam';
import { RaceView } from './race/RaceView';
import { lossInfo } from '../src/losses/registry';
import { sourceLink } from './sourceLink';
import { useRace, useRaceStore } from './race/useRace';
import { gpuExperiment, gpuWon } from './gpuSetting';
import type { RaceStore } from './race/raceStore';
import { defaultState, openingExperiment, VIEWS, type AppState, type SurfaceSettings, type UiSettings, type View } from './state';
import type { LandscapeSettings } from '../src/landscape/landscapeSettings';
import { CHAPTERS, OPENING_SCENARIO, findChapter } from '../src/tour/chapters';
import { chapterExperiment, explorerHref, scenarioState } from './tour/scenario';
import { MAX_LISTED_CORRECTIONS } from './queryParams';
import { encodeUrlState, parseUrlState } from './urlState';
import { useEmbed } from './embed/useEmbed';

// The race view comes with the page; the other views load when first opened, so the first paint waits for less.
const TourView = lazy(() => import('./tour/TourView').then((m) => ({ default: m.TourView })));
const SurfaceView = lazy(() => import('./surface/SurfaceView').then((m) => ({ default: m.SurfaceView })));
const LandscapeView = lazy(() => import('./landscape/LandscapeView').then((m) => ({ default: m.LandscapeView })));
const ReferenceView = lazy(() => import('./ReferenceView').then((m) => ({ default: m.ReferenceView })));
const EmbedFigure = lazy(() => import('./embed/EmbedFigure').then((m) => ({ default: m.EmbedFigure })));
const EmbedDialog = lazy(() => import('./embed/EmbedDialog').then((m) => ({ default: m.EmbedDialog })));

const URL_WRITE_DELAY_MS = 250;
const VIEW_NAMES: Record<View, string> = {
  race: 'Loss race',
  tour: 'Guided tour',
  surface: 'Confidence & surfaces',
  landscape: 'Landscape',
  reference: 'Loss zoo & checks',
};

function Notice({ children, onDismiss, tone = 'warn' }: { children: React.ReactNode; onDismiss?: () => void; tone?: 'warn' | 'error' }) {
  return (
    <div className={tone === 'error' ? 'notice notice-error' : 'notice'} role="alert">
      <div>{children}</div>
      {onDismiss && (
        <button type="button" className="notice-close" onClick={onDismiss} aria-label="Dismiss notice">
          ×
        </button>
      )}
    </div>
  );
}

function LiveBadge({ store: s, report, error }: { store: RaceStore; report: BackendReport | null; error: string | null }) {
  const store = useRaceStore(s);
  return (
    <BackendBadge report={report} error={error} stepsPerSecond={store.playing ? store.stepsPerSecond : null} memory={store.engineMemory} />
  );
}

/** What the browser's history steps through: the view, and in the tour the chapter. */
const pageOf = (s: AppState) => (s.view === 'tour' ? `tour:${s.chapter}` : s.view);

/** A field that uses the arrow keys itself (a slider, a menu, a text box). */
const isEditing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));
/** ...or a button, which Space presses. */
const isTyping = (t: EventTarget | null) => isEditing(t) || (t instanceof HTMLElement && t.tagName === 'BUTTON');

export function App({ search }: { search: string }) {
  const backendParam = useMemo(() => readBackendParam(search), [search]);
  const initial = useMemo(() => parseUrlState(search), [search]);
  const [state, setState] = useState<AppState>(initial.state);
  const [corrections, setCorrections] = useState<string[]>(initial.corrections);
  const [engine, setEngine] = useState<EngineClient | null>(null);
  const [generation, setGeneration] = useState(0);
  const [report, setReport] = useState<BackendReport | null>(null);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [crash, setCrash] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string[]>([]);
  // Backends whose GPU device was lost in this session: the next engine does not try them again.
  const [lost, setLost] = useState<{ name: BackendName; reason: string }[]>([]);
  // An embedded figure starts its engine only when it comes near the viewport.
  const embedded = state.embed.embed;
  const [near, setNear] = useState(!embedded);
  const figureRoot = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!near) {
      setEngine(null);
      setReport(null);
      return;
    }
    let live = true;
    const client = new EngineClient(
      (message) => {
        if (!live) return;
        // Restart with the same settings; the race is rebuilt from the current state by useRace.
        setCrash(`The training engine stopped (${message}). It was restarted with your settings; training starts again from step 0.`);
        setGeneration((g) => g + 1);
      },
      (backend, message) => {
        if (!live) return;
        setCrash(
          `The GPU device under ${backend} was lost (${message}). The engine was restarted on another backend with your settings; training starts again from step 0.`,
        );
        setLost((l) => [...l, { name: backend, reason: `its GPU device was lost (${message})` }]);
        setGeneration((g) => g + 1);
      },
      (settled) => live && setReport(settled),
    );
    setEngine(client);
    setReport(null);
    setEngineError(null);
    client.api.init(backendParam.requested, lost).then(
      (r) => live && setReport(r),
      (e: Error) => live && setEngineError(e.message),
    );
    return () => {
      live = false;
      client.dispose();
    };
  }, [backendParam, generation, lost, near]);

  // One race serves the explorer and the tour's race chapters; its scope says whose it is, so moving between
  // them replaces it at once. A scenario loaded into the explorer starts a new explorer scope for the same reason.
  const chapter = findChapter(state.chapter) ?? CHAPTERS[0];
  const tourRace = state.view === 'tour' && chapter.figure.kind === 'race' ? chapter.figure : null;
  const tourConfig = useMemo(() => (tourRace ? chapterExperiment(tourRace) : null), [tourRace]);
  const [explorerEpoch, setExplorerEpoch] = useState(0);
  const [calloutDismissed, setCalloutDismissed] = useState(false);
  // The hint's numbers were measured with exactly these settings, learning rate and clipping included (which a
  // race's identity leaves out, as they change live).
  const openingSettings = useMemo(() => JSON.stringify(openingExperiment()), []);
  const showCallout = !calloutDismissed && JSON.stringify(state.experiment) === openingSettings;
  // Where the race stops by itself: a chapter's measured step, and the first page's while its hint (a claim
  // measured there) is on screen, which an embedded race figure never shows. Elsewhere the race runs until paused.
  const measuredStep = tourRace
    ? tourRace.config.steps
    : state.view === 'race' && showCallout && !embedded
      ? OPENING_SCENARIO.config.steps
      : null;
  const race = useRace(
    engine,
    // The landscape view looks at the explorer's race: it needs it built too.
    report !== null && (state.view === 'race' || state.view === 'landscape' || tourRace !== null),
    tourConfig ?? state.experiment,
    state.ui.stepsPerSecond,
    report?.backend ?? null,
    tourRace ? `tour-${chapter.slug}` : `explorer-${explorerEpoch}`,
    measuredStep,
  );

  // A chapter's race never outlives the chapter: leaving it (another chapter, another view) pauses it. A chapter
  // without a race pauses whatever trained before, which is off screen now.
  const pauseRef = useRef(race.pause);
  pauseRef.current = race.pause;
  const inTour = state.view === 'tour';
  const chapterRaces = tourRace !== null;
  useEffect(() => {
    if (!inTour) return;
    if (!chapterRaces) pauseRef.current();
    return () => pauseRef.current();
  }, [inTour, chapter.slug, chapterRaces]);

  const [embedOpen, setEmbedOpen] = useState(false);
  // The GPU won the timing: offer the heavier race it can afford, once, until dismissed or taken.
  const [gpuDismissed, setGpuDismissed] = useState(false);
  const gpuSetting = useMemo(() => gpuExperiment(), []);
  const showGpuOffer = gpuWon(report) && !gpuDismissed && raceIdentity(state.experiment) !== raceIdentity(gpuSetting);

  // Mirror the state into the address and follow back/forward. Another view or chapter is a new entry in the
  // browser's history, so Back returns to it; any other edit replaces the entry (throttled).
  const timer = useRef<number | null>(null);
  const shown = useRef(pageOf(state));
  useEffect(() => {
    // An embedded figure never writes the host's history; it tells the host its settings instead (useEmbed).
    if (embedded) return;
    if (timer.current !== null) window.clearTimeout(timer.current);
    if (pageOf(state) !== shown.current) {
      shown.current = pageOf(state);
      window.history.pushState(null, '', encodeUrlState(state, backendParam.requested));
      return;
    }
    timer.current = window.setTimeout(() => {
      const next = encodeUrlState(state, backendParam.requested);
      // The fragment stays: it names the entry a link landed on (the zoo's #loss-…), which this view may not have drawn yet.
      if (next !== window.location.search) window.history.replaceState(null, '', next + window.location.hash);
    }, URL_WRITE_DELAY_MS);
  }, [state, backendParam, embedded]);
  useEffect(() => {
    const onPop = () => {
      const parsed = parseUrlState(window.location.search);
      shown.current = pageOf(parsed.state);
      setState(parsed.state);
      setCorrections(parsed.corrections);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const setExperiment = useCallback((experiment: ExperimentConfig) => setState((s) => ({ ...s, experiment })), []);
  const setUi = useCallback((p: Partial<UiSettings>) => setState((s) => ({ ...s, ui: { ...s.ui, ...p } })), []);
  const setView = (view: View) => setState((s) => ({ ...s, view }));
  const setChapter = useCallback((slug: string) => setState((s) => ({ ...s, view: 'tour', chapter: slug })), []);
  const loadScenario = useCallback((slug: string) => {
    const c = findChapter(slug);
    if (!c) return;
    setExplorerEpoch((e) => e + 1);
    setState((s) => scenarioState(s, c));
  }, []);
  const setLandscape = useCallback((landscape: LandscapeSettings) => setState((s) => ({ ...s, landscape })), []);
  const setSurface = useCallback((surface: SurfaceSettings) => setState((s) => ({ ...s, surface })), []);
  // "Train from here": the race starts where the toy is (binary, output prior p_fg) with the toy's losses.
  const trainFromHere = () =>
    setState((s) => {
      const losses = s.surface.losses.filter((l) => lossInfo(l.id)?.tasks.includes('binary'));
      return {
        ...s,
        view: 'race',
        experiment: {
          ...s.experiment,
          data: { ...s.experiment.data, classes: 2 },
          model: { ...s.experiment.model, outputPrior: Math.min(0.999999, Math.max(1e-6, s.surface.pFg)) },
          losses: losses.length ? losses : s.experiment.losses,
        },
      };
    });

  // The race view: Space plays, → steps, R resets. The tour: ← and → turn the chapters, Space plays its race.
  const chapterIndex = CHAPTERS.indexOf(chapter);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // In the tour the arrows turn the chapters even from the Next button or a chapter link.
      const turn =
        state.view === 'tour' && !embedded && !isEditing(e.target) ? (e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0) : 0;
      if (turn) {
        if (CHAPTERS[chapterIndex + turn]) setChapter(CHAPTERS[chapterIndex + turn].slug);
        e.preventDefault();
        return;
      }
      if (isTyping(e.target)) return;
      if (state.view === 'race') {
        if (e.key === ' ') race.toggle();
        else if (e.key === 'ArrowRight') race.step();
        else if (e.key === 'r' || e.key === 'R') race.reset();
        else return;
      } else if (state.view === 'tour' && e.key === ' ' && tourRace) race.toggle();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state.view, race, chapterIndex, tourRace, setChapter, embedded]);

  const notices = [backendParam.notice, report?.requestNotice].filter((n): n is string => Boolean(n) && !dismissed.includes(n!));

  const noticeBlock = (
    <>
      {notices.map((n) => (
        <Notice key={n} onDismiss={() => setDismissed((d) => [...d, n])}>
          {n}
        </Notice>
      ))}
      {corrections.length > 0 && (
        <Notice onDismiss={() => setCorrections([])}>
          <p className="notice-title">Some settings in the address could not be used and were corrected:</p>
          <ul data-testid="url-corrections">
            {corrections.slice(0, MAX_LISTED_CORRECTIONS).map((c, i) => (
              <li key={i}>{c}</li>
            ))}
            {corrections.length > MAX_LISTED_CORRECTIONS && <li>and {corrections.length - MAX_LISTED_CORRECTIONS} more</li>}
          </ul>
        </Notice>
      )}
      {crash && (
        <Notice tone="error" onDismiss={() => setCrash(null)}>
          {crash}
        </Notice>
      )}
      {engineError && (
        <Notice tone="error">
          {engineError}. Reload the page to try again; adding <code>?backend=cpu</code> to the address uses the slowest but most widely
          available backend.
        </Notice>
      )}
    </>
  );
  const query = encodeUrlState(state, backendParam.requested);

  useEmbed({
    enabled: embedded,
    root: figureRoot,
    race,
    autoplay: state.embed.autoplay,
    query,
    onRequest: ({ query: q }) => {
      // The host's query is read like an address: bad values are corrected (and listed), never executed.
      const parsed = parseUrlState(q);
      setState({ ...parsed.state, embed: state.embed, view: state.view });
      setCorrections(parsed.corrections);
    },
    onNear: () => setNear(true),
    held: near,
    releaseAfterSeconds: state.embed.release,
    onRelease: async () => {
      await race.park().catch(() => undefined);
      setNear(false);
    },
  });

  useEffect(() => {
    const theme = state.embed.theme;
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [state.embed.theme]);

  if (embedded) {
    const appState = { ...state, embed: defaultState().embed };
    return (
      <div ref={figureRoot} className="embed-root">
        <Suspense fallback={<p className="loading">Loading the figure…</p>}>
          <EmbedFigure
            state={state}
            race={race}
            chapter={chapter}
            appHref={`${window.location.pathname}${encodeUrlState(appState, backendParam.requested)}`}
            onUi={setUi}
            onSurface={setSurface}
            notices={noticeBlock}
          />
        </Suspense>
      </div>
    );
  }

  return (
    <>
      <header className="top">
        <div className="title">
          <h1>Seg Loss Playground</h1>
          <p className="question">We report IoU. Why not train on it?</p>
        </div>
        <nav className="views" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className={state.view === v ? 'tab tab-active' : 'tab'}
              aria-current={state.view === v ? 'page' : undefined}
              onClick={() => setView(v)}
            >
              {VIEW_NAMES[v]}
            </button>
          ))}
        </nav>
        <LiveBadge store={race.store} report={report} error={engineError} />
        <button type="button" className="embed-button" onClick={() => setEmbedOpen(true)}>
          Embed
        </button>
        {embedOpen && (
          <Suspense fallback={null}>
            <EmbedDialog state={state} backend={backendParam.requested} onClose={() => setEmbedOpen(false)} />
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
      <main>
        {noticeBlock}
        <Suspense fallback={<p className="loading">Loading the view…</p>}>
          {state.view === 'race' ? (
            <RaceView
              experiment={state.experiment}
              ui={state.ui}
              race={race}
              onExperiment={setExperiment}
              onUi={setUi}
              onScenario={loadScenario}
              callout={showCallout ? { onTour: () => setView('tour'), onDismiss: () => setCalloutDismissed(true) } : null}
              gpu={
                showGpuOffer && report?.measured
                  ? {
                      backend: report.backend,
                      measured: report.measured.text,
                      onUse: () => {
                        setExplorerEpoch((e) => e + 1);
                        setExperiment(gpuSetting);
                      },
                      onDismiss: () => setGpuDismissed(true),
                    }
                  : null
              }
            />
          ) : state.view === 'tour' ? (
            <TourView
              chapter={chapter}
              onChapter={setChapter}
              race={race}
              ui={state.ui}
              explorerHref={explorerHref(state, chapter, backendParam.requested)}
              onOpen={() => loadScenario(chapter.slug)}
            />
          ) : state.view === 'surface' ? (
            <SurfaceView surface={state.surface} onChange={setSurface} onTrain={trainFromHere} />
          ) : state.view === 'landscape' ? (
            <LandscapeView
              engine={engine}
              race={race}
              settings={state.landscape}
              log={state.ui.landscapeLog}
              onSettings={setLandscape}
              onLog={(landscapeLog) => setUi({ landscapeLog })}
            />
          ) : (
            <ReferenceView engine={engine} ready={report !== null} />
          )}
        </Suspense>
      </main>
    </>
  );
}

import { useEffect, useRef, useState, type RefObject } from 'react';
import { throttle } from '../../src/throttle';
import type { RaceControls } from '../race/useRace';
import { notice, readRequest, type Notice, type Request } from './messages';

/** How far below the viewport a figure starts loading, so it is ready when the reader arrives. */
const NEAR_MARGIN = '300px';
/** Steps told to the host at most this often. */
const STEP_NOTICE_MS = 250;
/** Figures of one browser and origin agree on one trainer: starting one pauses the others. */
const TRAINER_CHANNEL = 'seg-loss-playground-trainer';

const post = (n: Notice) => {
  if (window.parent !== window) window.parent.postMessage(notice(n), '*');
};

interface EmbedOptions {
  enabled: boolean;
  root: RefObject<HTMLElement | null>;
  race: RaceControls;
  autoplay: boolean;
  /** The figure's settings as a query string, told to the host when they change. */
  query: string;
  onRequest: (r: Extract<Request, { type: 'setState' }>) => void;
  /** The figure is near the viewport in a shown tab and holds no engine: time to start one. */
  onNear: () => void;
  /** Whether the figure holds an engine now. */
  held: boolean;
  /** Away (far from the viewport or in a hidden tab) this long, the figure lets its engine go: onRelease. */
  releaseAfterSeconds: number;
  onRelease: () => Promise<void>;
}

/**
 * The life of an embedded figure: it loads when near the viewport, trains only while it is on screen and its tab is
 * shown (and resumes when it returns, if it was playing), lets its engine go when away for a while (and rebuilds
 * it, race and history kept, when it returns), is the only one of its origin that trains, autoplays
 * once when asked to (never under reduced motion), and talks to its host page by postMessage.
 */
export function useEmbed(options: EmbedOptions): void {
  const { enabled, race } = options;
  const latest = useRef(options);
  latest.current = options;
  const { visible } = usePresence(options, latest);
  usePlayback(enabled, visible, race, options.autoplay, latest);
  useHostRequests(enabled, latest);
  useHostNotices(enabled, race.store, options.query);
}

type Latest = RefObject<EmbedOptions>;

/** Where the figure is: near the viewport, on screen, in a shown tab; it takes and lets go of its engine by that. */
function usePresence({ enabled, root, held, releaseAfterSeconds }: EmbedOptions, latest: Latest) {
  const [onScreen, setOnScreen] = useState(!enabled);
  const [near, setNear] = useState(!enabled);
  const [tabShown, setTabShown] = useState(() => document.visibilityState !== 'hidden');

  useEffect(() => {
    if (!enabled || !root.current) return;
    const nearby = new IntersectionObserver(([e]) => setNear(e.isIntersecting), { rootMargin: NEAR_MARGIN });
    const seen = new IntersectionObserver(([e]) => setOnScreen(e.isIntersecting));
    nearby.observe(root.current);
    seen.observe(root.current);
    const onVisibility = () => setTabShown(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      nearby.disconnect();
      seen.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [enabled, root]);

  // Nothing heavy loads until the figure is near; away for a while, it lets its worker and GPU device go (the race
  // is parked first), and near again it builds them again and goes on where it was.
  const wanted = near && tabShown;
  useEffect(() => {
    if (!enabled) return;
    if (wanted && !held) {
      latest.current.onNear();
      return;
    }
    if (wanted || !held) return;
    const timer = setTimeout(() => void latest.current.onRelease(), releaseAfterSeconds * 1000);
    return () => clearTimeout(timer);
  }, [enabled, wanted, held, releaseAfterSeconds, latest]);

  return { visible: onScreen && tabShown };
}

/** When the figure trains: paused while unseen, alone among its origin's figures, and autoplayed once if asked. */
function usePlayback(enabled: boolean, visible: boolean, race: RaceControls, autoplay: boolean, latest: Latest) {
  // Off screen or in a hidden tab it pauses; back on screen it resumes what it paused (not what the reader did),
  // once the race is ready again (a released figure builds its engine first).
  const resume = useRef(false);
  const store = race.store;
  const ready = race.ready;
  useEffect(() => {
    if (!enabled) return;
    if (!visible && store.playing) {
      resume.current = true;
      latest.current.race.pause();
    } else if (visible && resume.current && ready) {
      resume.current = false;
      latest.current.race.play();
    }
  }, [enabled, visible, store, ready, latest]);

  // One trainer per origin: when this one starts, the others pause and do not resume on their own.
  useEffect(() => {
    if (!enabled || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(TRAINER_CHANNEL);
    const me = crypto.randomUUID();
    let wasPlaying = store.playing;
    channel.onmessage = (e: MessageEvent<{ playing?: string }>) => {
      if (!e.data?.playing || e.data.playing === me) return;
      // Another figure trains now: this one stops, and one paused for being away does not resume on its return.
      resume.current = false;
      if (store.playing) latest.current.race.pause();
    };
    const unsubscribe = store.subscribe(() => {
      if (store.playing && !wasPlaying) channel.postMessage({ playing: me });
      wasPlaying = store.playing;
    });
    return () => {
      unsubscribe();
      channel.close();
    };
  }, [enabled, store, latest]);

  const reducedMotion = useRef(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false);
  const autoplayed = useRef(false);
  useEffect(() => {
    if (!enabled || !autoplay || autoplayed.current || reducedMotion.current || !visible || !race.ready) return;
    autoplayed.current = true;
    race.play();
  }, [enabled, autoplay, visible, race]);
}

/** Requests from the host page: only from the window that embeds us, only the known ones. */
function useHostRequests(enabled: boolean, latest: Latest) {
  useEffect(() => {
    if (!enabled) return;
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent || window.parent === window) return;
      const request = readRequest(e.data);
      if (typeof request === 'string') {
        console.warn(`Seg Loss Playground ignored a message: ${request}`);
        return;
      }
      const { race } = latest.current;
      if (request.type === 'setState') latest.current.onRequest(request);
      else race[request.type]();
    };
    window.addEventListener('message', onMessage);
    post({ type: 'ready' });
    return () => window.removeEventListener('message', onMessage);
  }, [enabled, latest]);
}

/** What the host hears: the figure's height, its training progress and its settings. */
function useHostNotices(enabled: boolean, store: RaceControls['store'], query: string) {
  // The host sizes the iframe to the figure: its height whenever it changes.
  useEffect(() => {
    if (!enabled) return;
    let last = -1;
    const observer = new ResizeObserver(() => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) post({ type: 'resize', height: (last = height) });
    });
    observer.observe(document.documentElement);
    return () => observer.disconnect();
  }, [enabled]);

  // Training progress, at most four times a second, and always the step it stopped at.
  useEffect(() => {
    if (!enabled) return;
    let lastStep = -1;
    const send = () => {
      if (store.step === lastStep) return;
      lastStep = store.step;
      post({
        type: 'step',
        step: store.step,
        runs: store.runs.map((r) => ({
          id: r.spec.id,
          loss: r.last?.loss ?? null,
          valIoU: r.views.get('eval:iou')?.points().y.at(-1) ?? null,
        })),
      });
    };
    const notify = throttle(send, STEP_NOTICE_MS);
    const unsubscribe = store.subscribe(notify);
    return () => {
      unsubscribe();
      notify.cancel();
    };
  }, [enabled, store]);

  useEffect(() => {
    if (enabled) post({ type: 'state', query });
  }, [enabled, query]);
}

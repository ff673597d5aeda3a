import { useEffect, useMemo, useRef } from 'react';
import { throttle } from '../../src/throttle';
import { viewEntry } from '../views/registry';
import type { AppState } from '../state';
import { encodeUrlState, parseUrlState, type ParsedUrl } from '../urlState';

const URL_WRITE_DELAY_MS = 250;

/** What the browser's history steps through: the view, and in a view that shows chapters the chapter. */
const pageOf = (s: AppState) => (viewEntry(s.view).race === 'chapter' ? `${s.view}:${s.chapter}` : s.view);

/**
 * Mirrors the state into the address and follows back/forward. Another view or chapter is a new entry in the
 * browser's history, so Back returns to it; any other edit replaces the entry (throttled). An embedded figure
 * never writes the host's history (it tells the host its settings instead: useEmbed).
 */
export function useUrlSync(state: AppState, backend: string | undefined, embedded: boolean, onPop: (parsed: ParsedUrl) => void): void {
  const replace = useMemo(
    () =>
      throttle((state: AppState, backend: string | undefined) => {
        const next = encodeUrlState(state, backend);
        // The fragment stays: it names the entry a link landed on (the zoo's #loss-…), which this view may not have drawn yet.
        if (next !== window.location.search) window.history.replaceState(null, '', next + window.location.hash);
      }, URL_WRITE_DELAY_MS),
    [],
  );
  const shown = useRef(pageOf(state));
  useEffect(() => {
    if (embedded) return;
    if (pageOf(state) !== shown.current) {
      // The new entry holds the newest state: an edit held back for the old one would overwrite it.
      replace.cancel();
      shown.current = pageOf(state);
      window.history.pushState(null, '', encodeUrlState(state, backend));
      return;
    }
    replace(state, backend);
  }, [state, backend, embedded, replace]);

  const latest = useRef(onPop);
  latest.current = onPop;
  useEffect(() => {
    const pop = () => {
      const parsed = parseUrlState(window.location.search);
      shown.current = pageOf(parsed.state);
      latest.current(parsed);
    };
    window.addEventListener('popstate', pop);
    return () => window.removeEventListener('popstate', pop);
  }, []);
}

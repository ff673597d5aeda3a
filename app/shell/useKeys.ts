import { useEffect, useRef } from 'react';
import type { ViewContext, ViewEntry } from '../views/viewEntry';

/** The view on screen takes the page's key presses (none with Ctrl, ⌘ or Alt held): see each entry's `keys`. */
export function useKeys(entry: ViewEntry, ctx: ViewContext): void {
  const latest = useRef(ctx);
  latest.current = ctx;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (entry.keys?.(e, latest.current)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [entry]);
}

import { useEffect } from 'react';
import type { EngineClient } from '../engineClient';
import { EngineCheckPanel } from '../EngineCheckPanel';
import { Glossary } from '../Glossary';
import { LandscapeCheckPanel } from '../LandscapeCheckPanel';
import { LossCatalog } from '../LossCatalog';
import { ParityPanel } from '../ParityPanel';
import { PresetTable } from '../PresetTable';

/** How long an entry the address names is kept in view while the checks above it load. */
const FOLLOW_MS = 10_000;

/** The loss zoo and the checks: every loss's formula and advice, the library defaults, parity and the engine check. */
export function ReferenceView({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  // The tour's term links land on an entry (#loss-…, #term-…). This view loads after the browser looked for it,
  // and the checks above it grow as they run: the entry is kept in view until the reader scrolls or presses a key.
  useEffect(() => {
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (!target) return;
    const follow = () => target.scrollIntoView();
    follow();
    const observer = new ResizeObserver(follow);
    observer.observe(document.body);
    const readerMoves = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
    const stop = () => {
      observer.disconnect();
      for (const e of readerMoves) window.removeEventListener(e, stop);
    };
    for (const e of readerMoves) window.addEventListener(e, stop, { passive: true });
    const timer = window.setTimeout(stop, FOLLOW_MS);
    return () => {
      window.clearTimeout(timer);
      stop();
    };
  }, []);
  return (
    <>
      <ParityPanel engine={engine} ready={ready} />
      <EngineCheckPanel engine={engine} ready={ready} />
      <LandscapeCheckPanel engine={engine} ready={ready} />
      <LossCatalog />
      <Glossary />
      <PresetTable />
    </>
  );
}

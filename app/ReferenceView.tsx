import { useEffect } from 'react';
import type { EngineClient } from './engineClient';
import { EngineCheckPanel } from './EngineCheckPanel';
import { Glossary } from './Glossary';
import { LandscapeCheckPanel } from './LandscapeCheckPanel';
import { LossCatalog } from './LossCatalog';
import { ParityPanel } from './ParityPanel';
import { PresetTable } from './PresetTable';

/** The loss zoo and the checks: every loss's formula and advice, the library defaults, parity and the engine check. */
export function ReferenceView({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  // The tour's term links land on an entry (#loss-…, #term-…); this view loads after the browser looked for it.
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView();
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

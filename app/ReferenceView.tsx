import type { EngineClient } from './engineClient';
import { EngineCheckPanel } from './EngineCheckPanel';
import { LandscapeCheckPanel } from './LandscapeCheckPanel';
import { LossCatalog } from './LossCatalog';
import { ParityPanel } from './ParityPanel';
import { PresetTable } from './PresetTable';

/** The loss zoo and the checks: every loss's formula and advice, the library defaults, parity and the engine check. */
export function ReferenceView({ engine, ready }: { engine: EngineClient | null; ready: boolean }) {
  return (
    <>
      <ParityPanel engine={engine} ready={ready} />
      <EngineCheckPanel engine={engine} ready={ready} />
      <LandscapeCheckPanel engine={engine} ready={ready} />
      <LossCatalog />
      <PresetTable />
    </>
  );
}

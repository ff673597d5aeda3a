import { Suspense, lazy, useId, useState, type ReactNode } from 'react';
import type { DataConfig } from '../../src/config/experimentConfig';
import { DATA_FIELDS } from '../../src/config/experimentConfig';
import type { ImportProblem } from '../../src/data/importedData';
import type { Field } from '../../src/schema/schema';
import { ParamInput } from '../ParamInput';
import type { DataSourceControls } from './useDataSource';
import './DataPanel.css';

// The import's controls, summary and preview come when a reader chooses their own images: the first page goes without.
const ImportPanel = lazy(() => import('./ImportPanel').then((m) => ({ default: m.ImportPanel })));

/** The data settings as schema fields, read for their flags (`syntheticOnly`). */
const FIELDS: readonly Field[] = DATA_FIELDS;
/** The settings that only mean something for imported images (how they are cut and scaled, the split). */
const IMPORT_ONLY = new Set(['crop', 'scaling', 'valShare']);
/** Written by the radio buttons and the import, not typed: the source's address and the net's input channels. */
const NOT_TYPED = new Set(['source', 'channels']);

/** The data settings' group: where the images come from, the settings that apply to them, and the import. */
export function DataPanel({
  data,
  values,
  onField,
  raceProblems,
  children,
}: {
  data: DataSourceControls;
  values: DataConfig;
  onField: (key: string, v: unknown) => void;
  /** The imported pairs the race of these settings left out (smaller than its image size), each named. */
  raceProblems?: readonly ImportProblem[];
  /** Settings of the race that sit with the data (the seed). */
  children?: ReactNode;
}) {
  const [wantImages, setWantImages] = useState(false);
  const images = data.kind !== 'synthetic' || wantImages;
  const radioName = useId();
  const fields = FIELDS.filter((f) => !NOT_TYPED.has(f.key) && (images ? !f.syntheticOnly : !IMPORT_ONLY.has(f.key)))
    // Three classes are the synthetic disks and squares: they come without the shape setting.
    .filter((f) => !(f.key === 'shape' && values.classes === 3));
  const choose = (v: boolean) => {
    setWantImages(v);
    if (!v) data.useSynthetic();
  };
  return (
    <fieldset className={`data-panel${images ? ' data-panel-images' : ''}`}>
      <legend>Data</legend>
      <div className="data-settings">
        <fieldset className="data-source">
          <legend>Data source</legend>
          <label className="data-choice">
            <input type="radio" name={radioName} checked={!images} onChange={() => choose(false)} />
            Synthetic shapes
          </label>
          <label className="data-choice">
            <input type="radio" name={radioName} checked={images} onChange={() => choose(true)} />
            Your images
          </label>
        </fieldset>
        {fields.map((f) => (
          <ParamInput key={f.key} def={f} value={values[f.key as keyof DataConfig]} onChange={(v) => onField(f.key, v)} />
        ))}
        {children}
      </div>
      {images && (
        <Suspense fallback={<p className="hint">Loading the import…</p>}>
          <ImportPanel data={data} raceProblems={raceProblems} />
        </Suspense>
      )}
    </fieldset>
  );
}

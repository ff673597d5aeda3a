import { useId, useState } from 'react';
import { IMPORT_LIMITS, limitsText } from '../../src/data/importLimits';
import { MAX_DATASET_NAME } from '../../src/data/datasetName';
import type { ImportProblem } from '../../src/data/importedData';
import { sourceLink } from '../sourceLink';
import { DataSummary } from './DataSummary';
import { DropZone, type Picked } from './DropZone';
import { importPicked } from './pickFiles';
import { PreviewGrid } from './PreviewGrid';
import { StoredDatasets } from './StoredDatasets';
import type { DataProgress, DataSourceControls } from './useDataSource';
import './ImportPanel.css';

/** The formats' and pairings' guide: in the repository when the build names one, else inside the source archive. */
const DOCS = sourceLink.archive
  ? { href: sourceLink.href, text: 'docs/data.md in the source archive' }
  : { href: `${sourceLink.href}/blob/HEAD/docs/data.md`, text: 'docs/data.md' };

/** The problems listed before "and N more": a folder of a thousand stray files should not bury the page. */
const PROBLEMS_SHOWN = 50;

const PHASES: Record<DataProgress['phase'] | 'reading', string> = {
  reading: 'Reading the files',
  fetching: 'Fetching the files',
  decoding: 'Decoding images and masks',
  storing: 'Storing the files in this browser',
};

/**
 * The name a data set gets when none was typed: the folder it came in, else what its files' names share
 * up to its last separator (nuclei_r0c0.png, nuclei_r0c1.png… → nuclei), made of the characters a name may have.
 */
export function defaultName({ files, folder }: Pick<Picked, 'folder'> & { files: readonly { path: string }[] }): string {
  const names = files.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1));
  let common = names[0] ?? '';
  for (const n of names) while (!n.startsWith(common)) common = common.slice(0, -1);
  const name = (folder ?? common.replace(/[ _.-][^ _.-]*$/, ''))
    .replace(/[^A-Za-z0-9 _.-]+/g, '-')
    .slice(0, MAX_DATASET_NAME)
    .trim();
  return name.length >= 2 ? name : 'my images';
}

function Progress({ phase, done, total }: { phase: keyof typeof PHASES; done: number; total: number }) {
  return (
    <div className="data-progress" data-testid="import-progress">
      {/* The phase is announced, the counts are not: they change too often to be read out. */}
      <span>
        <span role="status">{PHASES[phase]}</span> ({done} of {total})…
      </span>
      <progress max={total} value={done} aria-label={PHASES[phase]} />
    </div>
  );
}

/**
 * Each problem named with its file first; an error (the file is left out) or a warning (imported, but look) is said in
 * words. `title` heads the list, before its counts; `label` names the list.
 */
function Problems({ problems, title, label }: { problems: readonly ImportProblem[]; title: string; label: string }) {
  const id = useId();
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const ordered = [...errors, ...warnings];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const counts = [errors.length && plural(errors.length, 'error'), warnings.length && plural(warnings.length, 'warning')].filter(Boolean);
  return (
    <div className="data-problems">
      <h3 id={id}>
        {title} ({counts.join(', ')})
      </h3>
      {/* Named as a list of its own, so that a reader's list navigation finds it by what it holds. */}
      <ul aria-label={label} aria-describedby={id}>
        {ordered.slice(0, PROBLEMS_SHOWN).map((p, i) => (
          <li key={i} className={p.severity === 'error' ? 'problem-error' : 'problem-warning'}>
            <code>{p.file}</code> <strong>{p.severity === 'error' ? 'Error:' : 'Warning:'}</strong> {p.message}
          </li>
        ))}
      </ul>
      {ordered.length > PROBLEMS_SHOWN && <p className="hint">…and {ordered.length - PROBLEMS_SHOWN} more.</p>}
    </div>
  );
}

/** Import: the limits and formats first, a name, the drop zone and pickers, and how far it has got. */
function ImportArea({ data }: { data: DataSourceControls }) {
  const nameId = useId();
  const nameHelpId = useId();
  const [name, setName] = useState('');
  const [reading, setReading] = useState<{ done: number; total: number } | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const nameProblem = name === '' ? null : data.nameProblem(name);
  const busy = reading !== null || data.status === 'loading';
  // A link named a set this browser lacks: an import without a typed name is stored under the link's, so the link works.
  const missing = data.status === 'missing' ? data.name : null;

  const onPick = async (picked: Picked) => {
    const { files } = picked;
    setRefused(null);
    const chosen = name || missing || defaultName(picked);
    const problem = data.nameProblem(chosen);
    if (problem) return setRefused(`The name “${chosen}” cannot be used: ${problem}.`);
    try {
      // A name typed for this import is not kept for the next, which would otherwise replace this one.
      if (await importPicked(files, chosen, data.importFiles, setReading)) setName('');
    } catch (e) {
      setRefused((e as Error).message);
    }
  };
  const progress = reading ? { phase: 'reading' as const, ...reading } : data.progress;
  return (
    <div className="data-import">
      <p className="data-limits" data-testid="import-limits">
        {limitsText(IMPORT_LIMITS)}
      </p>
      <p className="data-formats">
        Pair <code>x.png</code> with <code>x_mask.png</code> (or <code>-mask</code>, <code>_label</code>, <code>_seg</code>), or{' '}
        <code>images/x.png</code> with <code>masks/x.png</code> (or <code>labels/</code>, <code>annotations/</code>); <code>train/</code>{' '}
        and <code>val/</code> folders set the split. PNG, JPEG, WebP, BMP, GIF or TIFF. More in{' '}
        <a href={DOCS.href} target="_blank" rel="noreferrer">
          {DOCS.text}
        </a>
        .
      </p>
      <div className="data-name">
        <label htmlFor={nameId}>Save as</label>
        <input
          id={nameId}
          type="text"
          value={name}
          maxLength={MAX_DATASET_NAME}
          placeholder={missing ?? 'the files’ common name'}
          aria-invalid={nameProblem !== null}
          aria-describedby={nameHelpId}
          onChange={(e) => setName(e.target.value)}
          disabled={busy}
        />
        <span className="hint" id={nameHelpId}>
          {nameProblem ? `This name cannot be used: ${nameProblem}.` : 'stored under it in this browser; the link says data=local:NAME'}
        </span>
      </div>
      <DropZone onPick={(p) => void onPick(p)} disabled={busy} />
      {progress && <Progress {...progress} />}
      {(refused ?? data.error) && (
        <p className="notice notice-error" role="alert">
          {refused ?? data.error}
        </p>
      )}
    </div>
  );
}

/** What the current source is and what it gave; a link's set this browser lacks is said instead. */
function Imported({ data }: { data: DataSourceControls }) {
  const headId = useId();
  if (data.status === 'missing') {
    return (
      <p className="notice">
        The link names {data.name}, which is not stored in this browser. Import its files and, unless another name is typed above, they are
        stored under it. Or use a stored set, or the synthetic shapes.
      </p>
    );
  }
  return (
    <section className="data-result" aria-labelledby={headId}>
      <h3 id={headId}>
        {data.kind === 'url' ? 'From the link: ' : 'In use: '}
        <span className="data-name-shown">{data.name ?? data.source}</span>
      </h3>
      {/* A manifest's own words on its data (its source, its licence): text, never markup. */}
      {data.description && <p className="data-description">{data.description}</p>}
      {data.notice && <p className="hint">{data.notice}</p>}
      {data.summary && <DataSummary summary={data.summary} />}
      {data.imported && <PreviewGrid data={data.imported} />}
    </section>
  );
}

/**
 * Your images: the import (limits, formats, name, drop zone, progress), what the source gave (summary and preview),
 * the problems (the import's, and the pairs the race left out) and the stored data sets. Loaded when a reader
 * chooses their own images, so the first page does not carry it.
 */
export function ImportPanel({
  data,
  raceProblems = [],
}: {
  data: DataSourceControls;
  /** The pairs the race's training and validation sets left out (smaller than the image size), each named. */
  raceProblems?: readonly ImportProblem[];
}) {
  const storedId = useId();
  return (
    <div className="data-images">
      <ImportArea data={data} />
      {data.kind === 'synthetic' ? (
        <p className="hint">Until images are imported or a stored set is used, the race trains on the synthetic shapes.</p>
      ) : (
        <Imported data={data} />
      )}
      {data.problems.length > 0 && <Problems problems={data.problems} title="Problems" label="Import problems" />}
      {raceProblems.length > 0 && <Problems problems={raceProblems} title="Left out of the race" label="Pairs left out of the race" />}
      <section className="data-stored" aria-labelledby={storedId}>
        <h3 id={storedId}>Stored in this browser</h3>
        <StoredDatasets
          stored={data.stored}
          current={data.kind === 'local' ? data.name : null}
          onUse={data.useStored}
          onRemove={data.remove}
        />
      </section>
    </div>
  );
}

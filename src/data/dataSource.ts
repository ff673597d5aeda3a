// What `data.source` names. The setting is free text (it travels in links as `data=`), so every reader (the page,
// the worker, the CLIs) goes through this one parser and gets the same words for a source it cannot use.
import { datasetNameProblem } from './datasetName';

export type DataSource =
  | { kind: 'synthetic' }
  /** A data set imported into this browser and stored under a name (IndexedDB). */
  | { kind: 'local'; name: string }
  /** A manifest JSON listing image/mask pairs, by address: absolute (http/https) or on this site (`/…`, `./…`). */
  | { kind: 'url'; url: string }
  /** A folder given to a CLI with `--data`. */
  | { kind: 'dir'; name: string };

/** A data source that cannot be used; the message quotes it and says what would do. */
export class DataSourceError extends Error {
  override name = 'DataSourceError';
}

const quote = (text: string) => `“${text.length > 60 ? `${text.slice(0, 60)}…` : text}”`;

function urlSource(text: string): DataSource {
  if (/^https?:\/\//i.test(text)) {
    try {
      return { kind: 'url', url: new URL(text).href };
    } catch {
      throw new DataSourceError(`data=${quote(text)} is not a valid address.`);
    }
  }
  return { kind: 'url', url: text };
}

/**
 * Reads a `data.source` setting: `synthetic`, `local:NAME`, `dir:NAME`, or a manifest's address (`https://…`,
 * `http://…`, or one on this site starting with `/` or `./`, or a relative `….json`). Throws a DataSourceError that quotes the text.
 */
export function dataSourceOf(text: string): DataSource {
  const t = text.trim();
  if (t === '' || t === 'synthetic') return { kind: 'synthetic' };
  const prefixed = /^(local|dir):(.*)$/s.exec(t);
  if (prefixed) {
    const [, kind, name] = prefixed;
    if (kind === 'dir') {
      if (name === '') throw new DataSourceError(`data=${quote(t)} names no folder: write dir:FOLDER.`);
      return { kind: 'dir', name };
    }
    const problem = datasetNameProblem(name);
    if (problem) throw new DataSourceError(`data=${quote(t)}: ${problem}.`);
    return { kind: 'local', name };
  }
  // A bare relative address (`examples/cells.json`, `../data/set.json`) is a manifest too when it names a JSON file.
  const relativeJson = !/^[a-z][a-z0-9+.-]*:/i.test(t) && /\.json(?:[?#].*)?$/i.test(t);
  if (/^https?:\/\//i.test(t) || t.startsWith('/') || t.startsWith('./') || relativeJson) return urlSource(t);
  throw new DataSourceError(
    `data=${quote(t)} is not a data source: use synthetic, local:NAME (a data set stored in this browser), ` +
      'or the address of a manifest JSON (https://… or /examples/….json).',
  );
}

/** The setting's text for a source: the inverse of dataSourceOf. */
export function dataSourceText(source: DataSource): string {
  switch (source.kind) {
    case 'synthetic':
      return 'synthetic';
    case 'local':
      return `local:${source.name}`;
    case 'dir':
      return `dir:${source.name}`;
    case 'url':
      return source.url;
  }
}

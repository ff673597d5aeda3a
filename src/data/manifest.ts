// A course author's data set on the web: `?data=URL` names a JSON manifest that lists image/mask pairs (their URLs
// relative to the manifest) and, optionally, the settings the data is meant to be trained with. The page fetches
// the manifest, then the files, and imports them like dropped files (importDataset.ts).

import { parseExperimentConfig, type ExperimentInput } from '../config/experimentConfig';
import { datasetNameProblem } from './datasetName';

/** A manifest is a short list, not data: larger text is refused before it is parsed. */
export const MAX_MANIFEST_BYTES = 1_000_000;
export const MAX_DESCRIPTION = 500;
/** Pairs when the caller does not pass its import's limit (half of the files an import takes). */
export const DEFAULT_MAX_PAIRS = 1000;

/** A manifest that cannot be used; the message starts with the JSON path of what is wrong (`pairs[3].mask`). */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

export interface ManifestPair {
  /** Absolute URLs, resolved against the manifest's own. */
  image: string;
  mask: string;
  split: 'train' | 'val' | null;
}

export interface Manifest {
  name: string;
  description: string | null;
  pairs: ManifestPair[];
  /** The settings the author meant, checked like a config file; the address's own settings win over them. */
  settings: ExperimentInput | null;
}

const TOP_KEYS = ['name', 'description', 'pairs', 'settings'];
const PAIR_KEYS = ['image', 'mask', 'split'];

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function onlyKeys(value: Record<string, unknown>, allowed: string[], path: string): void {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new ManifestError(`${path}${JSON.stringify(extra)}: not a manifest key (allowed: ${allowed.join(', ')})`);
}

/**
 * A file's address: relative to the manifest, or absolute over http(s). Other schemes (data:, blob:, javascript:,
 * file:) are refused: a manifest names files on a server, and the browser's CORS rules then decide who may read them.
 */
function fileUrl(raw: unknown, base: URL, path: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ManifestError(`${path}: expected a file's URL (a non-empty string)`);
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new ManifestError(`${path}: ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ManifestError(`${path}: ${url.protocol} addresses are not read; give a path beside the manifest or an http(s) URL`);
  return url.href;
}

function parsePair(raw: unknown, base: URL, path: string): ManifestPair {
  if (!isRecord(raw)) throw new ManifestError(`${path}: expected { "image": "…", "mask": "…" }`);
  onlyKeys(raw, PAIR_KEYS, `${path}.`);
  const split = raw.split ?? null;
  if (split !== null && split !== 'train' && split !== 'val')
    throw new ManifestError(`${path}.split: expected "train" or "val", got ${JSON.stringify(split)}`);
  return { image: fileUrl(raw.image, base, `${path}.image`), mask: fileUrl(raw.mask, base, `${path}.mask`), split };
}

/** The settings, checked as a config file is; the data source is the manifest itself, so it cannot name another. */
function parseSettings(raw: unknown): ExperimentInput | null {
  if (raw === undefined) return null;
  if (!isRecord(raw)) throw new ManifestError('settings: expected an object of settings, as in a config file');
  if (isRecord(raw.data) && 'source' in raw.data) throw new ManifestError('settings.data.source: a manifest is its own data source');
  try {
    parseExperimentConfig(raw);
  } catch (e) {
    throw new ManifestError(`settings.${(e as Error).message}`);
  }
  return raw as ExperimentInput;
}

/** Reads a manifest's text (fetched from `manifestUrl`); throws ManifestError naming the first thing wrong. */
export function parseManifest(text: string, manifestUrl: string, maxPairs = DEFAULT_MAX_PAIRS): Manifest {
  if (text.length > MAX_MANIFEST_BYTES)
    throw new ManifestError(`the manifest has ${text.length} characters; at most ${MAX_MANIFEST_BYTES} are read`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // A server that answers every address with its page (a single-page app's fallback) sends HTML for a wrong path.
    if (text.trimStart().startsWith('<')) throw new ManifestError('the address gives a web page, not a manifest JSON: is the path right?');
    throw new ManifestError(`the manifest is not JSON (${(e as Error).message})`);
  }
  if (!isRecord(json)) throw new ManifestError('the manifest is not a JSON object: expected { "name": …, "pairs": [ … ] }');
  onlyKeys(json, TOP_KEYS, '');
  if (typeof json.name !== 'string') throw new ManifestError('name: expected the data set\'s name, e.g. "nuclei"');
  const nameProblem = datasetNameProblem(json.name);
  if (nameProblem) throw new ManifestError(`name: ${nameProblem}`);
  const description = json.description ?? null;
  if (description !== null && (typeof description !== 'string' || description.length > MAX_DESCRIPTION))
    throw new ManifestError(`description: expected a text of at most ${MAX_DESCRIPTION} characters`);
  if (!Array.isArray(json.pairs) || json.pairs.length === 0)
    throw new ManifestError('pairs: expected a list of { "image": "…", "mask": "…" }, at least one');
  if (json.pairs.length > maxPairs) throw new ManifestError(`pairs: ${json.pairs.length} pairs; at most ${maxPairs} are imported`);
  const base = new URL(manifestUrl);
  const pairs = json.pairs.map((p, i) => parsePair(p, base, `pairs[${i}]`));
  return { name: json.name, description, pairs, settings: parseSettings(json.settings) };
}

/** Percent-escapes decoded for showing (`cell%201.png` as `cell 1.png`); text with a malformed escape (`a%ZZ.png`) as it is. */
export function decodedOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The last segment of a URL's path, without its query: what a problem about the file is best named by. */
export function fileNameOf(url: string): string {
  const path = new URL(url).pathname;
  return decodedOrRaw(path.slice(path.lastIndexOf('/') + 1)) || path;
}

/**
 * The paths a manifest's pair is imported under, so that the import pairs them as the manifest says (`images/` and
 * `masks/` beside each other, the same name, under the pair's split folder) whatever the files are called on the
 * server. The pair's number leads the name: two `a.png` in different folders stay two pairs.
 */
export function manifestPaths(pair: ManifestPair, index: number, extensions: { image: string; mask: string }) {
  const stem = `${String(index + 1).padStart(4, '0')}-${fileNameOf(pair.image)
    .replace(/\.[^.]*$/, '')
    .replace(/[/\\]/g, '_')}`;
  const folder = pair.split === null ? '' : `${pair.split}/`;
  return { image: `${folder}images/${stem}.${extensions.image}`, mask: `${folder}masks/${stem}.${extensions.mask}` };
}

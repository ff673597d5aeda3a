import type { ExperimentInput } from '../../src/config/experimentConfig';
import { readImageHeader } from '../../src/data/imageHeader';
import type { ImportFile, ImportProblem } from '../../src/data/importedData';
import { checkFileLimits, IMPORT_LIMITS, type ImportLimits } from '../../src/data/importLimits';
import { extensionOf } from '../../src/data/pairFiles';
import { decodedOrRaw, MAX_MANIFEST_BYTES, manifestPaths, parseManifest } from '../../src/data/manifest';

// `?data=URL`: the manifest and then its files, fetched as the browser allows (same origin, or a server that sends
// CORS headers), into the files an import reads. A file that cannot be fetched is a problem named by its URL; the
// other pairs still import.

/** Files fetched at once: a browser's connections to one host, not a flood of requests. */
const PARALLEL = 6;

export interface ManifestData {
  name: string;
  description: string | null;
  settings: ExperimentInput | null;
  /** As the import reads them: each pair under the paths that make it a pair (manifestPaths). */
  files: ImportFile[];
  /**
   * The names the author wrote, by the names the import gives: each file's URL by its imported path, and each pair's
   * image (relative to the manifest where it lies beside or below it, without its extension) by the pair's name.
   */
  urlOf: Map<string, string>;
  /** The files that could not be fetched, by URL. */
  problems: ImportProblem[];
}

export interface FetchOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  limits?: ImportLimits;
  /** Files fetched of those the manifest lists. */
  onProgress?: (done: number, total: number) => void;
}

/** An error of the fetch itself, in words: the usual cause of a failed cross-site fetch is a missing CORS header. */
async function fetchBytes(url: string, fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Uint8Array> {
  let response: Response;
  try {
    // Cookies go only to the page's own site (a course's files behind its login); another site's CORS `*` allows no cookies.
    response = await fetchFn(url, { signal, credentials: 'same-origin' });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Error('could not be fetched: the server did not answer, or it does not let this site read it (CORS)');
  }
  if (!response.ok) throw new Error(`could not be fetched: the server answered ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchManifestText(url: string, fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(url, fetchFn, signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Error(`The manifest ${url} ${(e as Error).message}.`);
  }
  if (bytes.byteLength > MAX_MANIFEST_BYTES)
    throw new Error(`The manifest ${url} has ${bytes.byteLength} bytes; a manifest is read up to ${MAX_MANIFEST_BYTES}.`);
  return new TextDecoder().decode(bytes);
}

/**
 * The extension a fetched file is imported under: its format from its first bytes, else its URL's (a broken header
 * is the import's to name, as for a dropped file).
 */
function extensionFor(bytes: Uint8Array, url: string): string {
  try {
    const format = readImageHeader(bytes)?.format;
    if (format) return format;
  } catch {
    // Named by the import, which reads the header again.
  }
  return extensionOf(new URL(url).pathname) || 'bin';
}

/** A file's name as the author wrote it: its path from the manifest's folder when it lies there, else its whole URL. */
function shownName(url: string, manifestUrl: string): string {
  const folder = new URL('./', manifestUrl).href;
  return url.startsWith(folder) ? decodedOrRaw(url.slice(folder.length)) : url;
}

const withoutExtension = (path: string) => path.replace(/\.[^./]*$/, '');

/** Runs `work` on every item, at most PARALLEL at a time, in order of the items. */
async function eachLimited<T>(items: T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
}

/**
 * Fetches the manifest at `url` (absolute) and its files. Throws for what stops the whole data set (the manifest
 * unreachable or invalid, the files over the import's limits); a pair whose file cannot be fetched is a problem.
 */
export async function fetchManifest(url: string, options: FetchOptions = {}): Promise<ManifestData> {
  const { fetch: fetchFn = globalThis.fetch.bind(globalThis), signal, limits = IMPORT_LIMITS, onProgress } = options;
  const text = await fetchManifestText(url, fetchFn, signal);
  let manifest;
  try {
    manifest = parseManifest(text, url, Math.floor(limits.maxFiles / 2));
  } catch (e) {
    throw new Error(`The manifest ${url}: ${(e as Error).message}.`);
  }
  const fetched: (ImportFile[] | null)[] = manifest.pairs.map(() => null);
  const urlOf = new Map<string, string>();
  // By pair, so that the problems read in the manifest's order whichever fetch finishes first.
  const problems: ImportProblem[][] = manifest.pairs.map(() => []);
  let done = 0;
  let bytes = 0;
  const total = manifest.pairs.length * 2;
  onProgress?.(0, total);
  await eachLimited(manifest.pairs, async (pair, i) => {
    const read = async (file: string) => {
      try {
        const b = await fetchBytes(file, fetchFn, signal);
        bytes += b.byteLength;
        // Stopped as soon as the bytes pass the limit, not after fetching a server's worth.
        checkFileLimits(total, bytes, limits);
        return b;
      } catch (e) {
        if (signal?.aborted || (e as Error).name === 'ImportError') throw e;
        problems[i].push({ file, message: (e as Error).message, severity: 'error' });
        return null;
      } finally {
        onProgress?.(++done, total);
      }
    };
    const image = await read(pair.image);
    const mask = await read(pair.mask);
    if (!image || !mask) return;
    const paths = manifestPaths(pair, i, { image: extensionFor(image, pair.image), mask: extensionFor(mask, pair.mask) });
    urlOf.set(paths.image, pair.image);
    urlOf.set(paths.mask, pair.mask);
    urlOf.set(withoutExtension(paths.image), withoutExtension(shownName(pair.image, url)));
    fetched[i] = [
      { path: paths.image, bytes: image },
      { path: paths.mask, bytes: mask },
    ];
  });
  const files = fetched.flatMap((f) => f ?? []);
  return { name: manifest.name, description: manifest.description, settings: manifest.settings, files, urlOf, problems: problems.flat() };
}

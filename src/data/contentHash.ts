import type { ImportFile } from './importedData';
import { normalizePath } from './pairFiles';

const hex = (digest: ArrayBuffer): string => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');

/** The folder every path lies in ('' where they share none), with its trailing '/'. */
function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let prefix = paths[0].slice(0, paths[0].lastIndexOf('/') + 1);
  for (const path of paths) while (!path.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return prefix;
}

/**
 * SHA-256 (hex) naming a set of files by their contents: the paths (relative to the folder they all lie in, so that a
 * folder picked in the page and the same folder named to the CLI agree) in code-unit order, each with the SHA-256
 * of its bytes. Hashing file by file keeps the whole set from being copied into one buffer. Order of the list given
 * does not matter. Uses Web Crypto, which the page, the worker and Node all have.
 */
export async function contentHash(files: readonly ImportFile[]): Promise<string> {
  const paths = files.map((f) => normalizePath(f.path));
  const folder = commonFolder(paths);
  const digests = await Promise.all(files.map((f) => globalThis.crypto.subtle.digest('SHA-256', f.bytes as Uint8Array<ArrayBuffer>)));
  const lines = paths.map((path, i) => `${path.slice(folder.length)}\0${hex(digests[i])}\n`);
  lines.sort();
  return hex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(lines.join(''))));
}

import { shorten } from '../src/schema/schema';

/**
 * A query string read defensively. Links reach the explorer cut short by chat apps, mangled by mail clients or
 * padded by hand, so each parameter is decoded on its own (one bad escape costs that parameter only) and only the
 * first MAX_QUERY_CHARS characters are read at all.
 */
export const MAX_QUERY_CHARS = 8192;
/** How many corrections the page lists before "and N more". */
export const MAX_LISTED_CORRECTIONS = 10;

export interface QueryParams {
  get(key: string): string | null;
  getAll(key: string): string[];
  keys(): string[];
}

/** One component decoded as browsers decode forms: `+` is a space, then %-escapes; null when they are broken. */
function decode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * The parameters of `search`, each decoded on its own. What it cannot use (the part past MAX_QUERY_CHARS, a broken
 * %-escape) goes into `corrections` in words, so the notice can say what was ignored.
 */
export function readQuery(search: string, corrections: string[]): QueryParams {
  let query = search.startsWith('?') ? search.slice(1) : search;
  if (query.length > MAX_QUERY_CHARS) {
    const cut = query.lastIndexOf('&', MAX_QUERY_CHARS);
    const kept = cut > 0 ? query.slice(0, cut) : '';
    const dropped = query.slice(kept.length).split('&').filter(Boolean).length;
    corrections.push(
      `the address holds ${query.length.toLocaleString('en')} characters of settings; only the first ${MAX_QUERY_CHARS / 1024} kB were read (${dropped.toLocaleString('en')} parameters ignored)`,
    );
    query = kept;
  }
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    if (key === null || value === null) {
      corrections.push(`${shorten(key ?? rawKey)}=${shorten(rawValue)} has a broken %-escape (a link cut short?); ignored`);
      continue;
    }
    pairs.push([key, value]);
  }
  return {
    get: (key) => pairs.find(([k]) => k === key)?.[1] ?? null,
    getAll: (key) => pairs.filter(([k]) => k === key).map(([, v]) => v),
    keys: () => [...new Set(pairs.map(([k]) => k))],
  };
}

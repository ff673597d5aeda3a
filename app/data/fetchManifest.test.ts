import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { pairFiles } from '../../src/data/pairFiles';
import { fetchManifest } from './fetchManifest';

const png = (value: number) => encode({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array(4).fill(value) });
const AT = 'https://course.example/data/cells.json';

/** A server holding `files` by URL; anything else is a 404, and `unreachable` URLs fail as a blocked fetch does. */
function server(files: Record<string, Uint8Array | string>, unreachable: string[] = []) {
  const asked: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    asked.push(url);
    if (unreachable.includes(url)) throw new TypeError('Failed to fetch');
    const body = files[url];
    return body === undefined ? new Response('no', { status: 404, statusText: 'Not Found' }) : new Response(body as BodyInit);
  }) as typeof fetch;
  return { fetchFn, asked };
}

const manifest = (pairs: unknown[], extra: object = {}) => JSON.stringify({ name: 'cells', pairs, ...extra });

describe('fetchManifest', () => {
  it('fetches every pair into files the import pairs as the manifest says, with progress', async () => {
    const { fetchFn } = server({
      [AT]: manifest(
        [
          { image: 'img/one.png', mask: 'lbl/one-labels.png', split: 'val' },
          { image: 'img/two', mask: 'lbl/two.png' },
        ],
        { settings: { steps: 300 } },
      ),
      'https://course.example/data/img/one.png': png(10),
      'https://course.example/data/lbl/one-labels.png': png(1),
      'https://course.example/data/img/two': png(20),
      'https://course.example/data/lbl/two.png': png(0),
    });
    const progress: [number, number][] = [];
    const data = await fetchManifest(AT, { fetch: fetchFn, onProgress: (d, t) => progress.push([d, t]) });
    expect(data.name).toBe('cells');
    expect(data.settings).toEqual({ steps: 300 });
    expect(data.problems).toEqual([]);
    // A file without an extension is named by its format, so the import takes it for an image.
    expect(data.files.map((f) => f.path)).toEqual([
      'val/images/0001-one.png',
      'val/masks/0001-one.png',
      'images/0002-two.png',
      'masks/0002-two.png',
    ]);
    expect(pairFiles(data.files.map((f) => f.path)).pairs).toHaveLength(2);
    expect(data.urlOf.get('images/0002-two.png')).toBe('https://course.example/data/img/two');
    // Pairs are named as the manifest names their images.
    expect(data.urlOf.get('val/images/0001-one')).toBe('img/one');
    expect(data.urlOf.get('images/0002-two')).toBe('img/two');
    expect(progress[0]).toEqual([0, 4]);
    expect(progress.at(-1)).toEqual([4, 4]);
  });

  it('names each file it cannot fetch by its URL, and imports the other pairs', async () => {
    const { fetchFn } = server(
      {
        [AT]: manifest([
          { image: 'a.png', mask: 'a_mask.png' },
          { image: 'b.png', mask: 'b_mask.png' },
          { image: 'c.png', mask: 'c_mask.png' },
        ]),
        'https://course.example/data/a.png': png(1),
        'https://course.example/data/a_mask.png': png(1),
        'https://course.example/data/b.png': png(1),
        'https://course.example/data/c_mask.png': png(1),
      },
      ['https://course.example/data/c.png'],
    );
    const data = await fetchManifest(AT, { fetch: fetchFn });
    expect(data.files.map((f) => f.path)).toEqual(['images/0001-a.png', 'masks/0001-a.png']);
    expect(data.problems).toEqual([
      {
        file: 'https://course.example/data/b_mask.png',
        message: 'could not be fetched: the server answered 404 Not Found',
        severity: 'error',
      },
      {
        file: 'https://course.example/data/c.png',
        message: expect.stringMatching(/does not let this site read it \(CORS\)/),
        severity: 'error',
      },
    ]);
  });

  it('takes a file whose URL has a malformed escape (a%ZZ.png), naming it by its raw text', async () => {
    const { fetchFn } = server({
      [AT]: manifest([{ image: 'img/a%ZZ.png', mask: 'lbl/a%ZZ.png' }]),
      'https://course.example/data/img/a%ZZ.png': png(10),
      'https://course.example/data/lbl/a%ZZ.png': png(1),
    });
    const data = await fetchManifest(AT, { fetch: fetchFn });
    expect(data.problems).toEqual([]);
    expect(data.files.map((f) => f.path)).toEqual(['images/0001-a%ZZ.png', 'masks/0001-a%ZZ.png']);
    expect(pairFiles(data.files.map((f) => f.path)).pairs).toHaveLength(1);
    expect(data.urlOf.get('images/0001-a%ZZ')).toBe('img/a%ZZ');
  });

  it('says why the manifest itself cannot be used', async () => {
    await expect(fetchManifest(AT, { fetch: server({}).fetchFn })).rejects.toThrow(
      `The manifest ${AT} could not be fetched: the server answered 404 Not Found.`,
    );
    await expect(fetchManifest(AT, { fetch: server({}, [AT]).fetchFn })).rejects.toThrow(/CORS/);
    await expect(fetchManifest(AT, { fetch: server({ [AT]: '{"name":"x"}' }).fetchFn })).rejects.toThrow(
      `The manifest ${AT}: pairs: expected a list`,
    );
  });

  it('stops at the import limits: no more pairs than it reads, no more bytes than it takes', async () => {
    const limits = { maxFiles: 4, maxBytes: 150, maxPixels: 1e6, maxTotalPixels: 1e7 };
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => ({ image: `${i}.png`, mask: `${i}_mask.png` }));
    await expect(fetchManifest(AT, { fetch: server({ [AT]: manifest(pairs(3)) }).fetchFn, limits })).rejects.toThrow(
      `The manifest ${AT}: pairs: 3 pairs; at most 2 are imported.`,
    );
    const files = Object.fromEntries(
      pairs(2)
        .flatMap((p) => [p.image, p.mask])
        .map((f) => [`https://course.example/data/${f}`, png(1)]),
    );
    const big = server({ [AT]: manifest(pairs(2)), ...files });
    await expect(fetchManifest(AT, { fetch: big.fetchFn, limits })).rejects.toThrow(/more than an import reads/);
  });
});

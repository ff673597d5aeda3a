import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash } from './contentHash';

const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });

describe('contentHash', () => {
  it('is SHA-256 over the sorted relative paths, each with the SHA-256 of its bytes', async () => {
    const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
    const expected = sha(`a.png\0${sha('one')}\nb/c.png\0${sha('two')}\n`);
    expect(await contentHash([file('set/b/c.png', 'two'), file('set/a.png', 'one')])).toBe(expected);
  });

  it('does not depend on the order of the files or on the folder they all lie in', async () => {
    const files = [file('a.png', '1'), file('a_mask.png', '2'), file('sub/b.png', '3')];
    const hash = await contentHash(files);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentHash([...files].reverse())).toBe(hash);
    expect(await contentHash(files.map((f) => ({ ...f, path: `tiles/${f.path}` })))).toBe(hash);
    expect(await contentHash(files.map((f) => ({ ...f, path: `C:\\data\\${f.path}` })))).toBe(hash);
  });

  it('changes with one byte, with a file name, and with a file more or less', async () => {
    const files = [file('a.png', 'abc'), file('a_mask.png', 'def')];
    const hash = await contentHash(files);
    expect(await contentHash([files[0], file('a_mask.png', 'deg')])).not.toBe(hash);
    expect(await contentHash([files[0], file('a_label.png', 'def')])).not.toBe(hash);
    expect(await contentHash([...files, file('b.png', '')])).not.toBe(hash);
    expect(await contentHash([files[0]])).not.toBe(hash);
  });

  it('hashes a subarray’s own bytes, not its whole buffer', async () => {
    const buffer = new TextEncoder().encode('xxabcxx');
    expect(await contentHash([{ path: 'a.png', bytes: buffer.subarray(2, 5) }])).toBe(await contentHash([file('a.png', 'abc')]));
  });
});

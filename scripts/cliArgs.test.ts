import { describe, expect, it } from 'vitest';
import { readArgs } from './cliArgs';

const options = { config: { type: 'string' }, 'node-only': { type: 'boolean', default: false } } as const;

describe('command-line arguments', () => {
  it('reads options in either spelling, with defaults', () => {
    const parsed = readArgs(['--config=a.json', '--node-only'], options);
    expect(typeof parsed !== 'string' && parsed.values).toEqual({ config: 'a.json', 'node-only': true });
    const spaced = readArgs(['--config', 'b.json'], options);
    expect(typeof spaced !== 'string' && spaced.values).toEqual({ config: 'b.json', 'node-only': false });
  });

  it('says what is wrong in the words the CLIs print', () => {
    expect(readArgs(['--gpu'], options)).toBe("unexpected argument '--gpu'");
    expect(readArgs(['--config'], options)).toBe('--config needs a value');
    expect(readArgs(['stray.json'], options)).toBe("unexpected argument 'stray.json'");
    const positional = readArgs(['file.json'], options, true);
    expect(typeof positional !== 'string' && positional.positionals).toEqual(['file.json']);
  });
});

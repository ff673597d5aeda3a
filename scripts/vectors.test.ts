import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI as a user runs it (`npm run vectors -- FILE` is `node scripts/cli.mjs vectors FILE`).
function vectorsCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['scripts/cli.mjs', 'vectors', ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run vectors', { timeout: 120_000 }, () => {
  it('passes every key of the project copy and exits 0', async () => {
    const r = await vectorsCli('src/reference/loss-vectors.json');
    expect(r.stdout.trim()).toBe('652 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('prints a line per failing key, counts unknown keys as failures and exits non-zero', async () => {
    const doc = JSON.parse(readFileSync('src/reference/loss-vectors.json', 'utf8'));
    const first = doc.binary_cases[0];
    doc.binary_cases = [first];
    doc.multiclass_cases = [];
    first.losses = {
      bce_mean: { ...first.losses.bce_mean, value: 0.4 },
      'neg_log_jaccard/batch/empty=zero': first.losses['neg_log_jaccard/batch/empty=zero'],
      'hinge_squared/batch': { value: 1 },
    };
    first.metrics = {};
    const file = join(mkdtempSync(join(tmpdir(), 'vectors-')), 'broken.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await vectorsCli(file, '--backend', 'wasm');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^FAIL mixed bce_mean: value got 0\.385\d* want 0\.4 \(\|diff\| 1\.50e-2\)$/),
      'FAIL mixed hinge_squared/batch: unknown key',
      '1 passed, 2 failed',
    ]);
    expect(r.stderr).toContain('backend: wasm');
    expect(r.code).toBe(1);
  });

  it('rejects a bad backend or a file that is not a vectors file with exit code 2', async () => {
    expect((await vectorsCli('src/reference/loss-vectors.json', '--backend', 'webgpu')).code).toBe(2);
    const r = await vectorsCli('package.json');
    expect(r.stderr).toMatch(/package\.json: vectors: expected "binary_cases" and\/or "multiclass_cases" arrays/);
    expect(r.code).toBe(2);
  });
});

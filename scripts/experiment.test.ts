import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { readResults } from '../src/train/resultsFile';

function experiment(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['scripts/cli.mjs', 'experiment', ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run experiment', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'experiment-'));
  const write = (name: string, body: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };

  it('trains the config and writes every series as JSON and CSV', async () => {
    const config = write('ok.json', {
      seed: 3,
      steps: 12,
      batchSize: 4,
      evalEvery: 5,
      data: { size: 16, train: 16, val: 8 },
      losses: [{ id: 'softJaccard' }, { id: 'bce' }],
    });
    const out = join(dir, 'r.json');
    const csv = join(dir, 'r.csv');
    const r = await experiment('--config', config, '--out', out, '--csv', csv, '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/backend cpu · \d+ parameters · 2 losses · 12 steps/);
    expect(r.stderr).toMatch(/step 12\/12 · softJaccard loss/);
    const res = readResults(JSON.parse(readFileSync(out, 'utf8')));
    expect(res.runs).toHaveLength(2);
    const run = res.runs[0];
    expect(run.loss).toMatchObject({ id: 'softJaccard', aggregation: 'batch', empty: 'zero' });
    expect(run.diverged).toBeNull();
    expect(run.kept).toEqual({ everyNthStep: 1, everyNthEval: 1 });
    expect(run.history.step).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const key of ['loss', 'gradNorm', 'logitGradFg', 'logitGradBg', 'trainIoU'] as const) expect(run.history[key]).toHaveLength(12);
    expect(run.val.step).toEqual([0, 5, 10, 12]);
    expect(run.final.loss).toBe(run.history.loss[11]);
    expect(run.final.valIoU).toBe(run.val.iou[3]);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('run,loss_id,step,loss,grad_norm,logit_grad_fg,logit_grad_bg,train_iou,fg_fraction,val_iou,val_miou,val_dice');
    expect(lines).toHaveLength(1 + 2 * 13);
  });

  it.each([
    [{ optimizer: { lr: -1 } }, /optimizer\.lr: expected a number in \[0\.00001, 100\], got -1/],
    [{ losses: [{ id: 'iou' }] }, /losses\[0\]\.id: unknown loss 'iou'/],
    ['{ not json', /Unexpected token|JSON/],
  ])('exits 2 with a clear message for %j', async (body, message) => {
    const r = await experiment('--config', write('bad.json', body));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 when --config is missing or an option is unknown', async () => {
    expect((await experiment()).stderr).toMatch(/--config FILE\.json is required/);
    const r = await experiment('--config', 'x.json', '--gpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unexpected argument '--gpu'/);
  });

  describe('--data DIR', () => {
    const small = () =>
      write('small.json', {
        seed: 2,
        steps: 6,
        batchSize: 4,
        evalEvery: 3,
        data: { size: 16, train: 16, val: 8 },
        losses: [{ id: 'softJaccard' }, { id: 'bce' }],
      });

    it('trains on a folder of images and masks and names it in the results', async () => {
      const out = join(dir, 'cells.json');
      const r = await experiment('--config', small(), '--data', 'public/examples/cells', '--out', out, '--backend', 'cpu');
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/data cells: 8 pairs/);
      expect(r.stderr).toMatch(/step 6\/6/);
      const res = readResults(JSON.parse(readFileSync(out, 'utf8')));
      expect(res.dataset).toMatchObject({ source: 'dir:cells', name: 'cells', pairs: 8 });
      expect(res.dataset?.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    /** A folder holding `files` (path → bytes). */
    const folder = (name: string, files: Record<string, Uint8Array | string>) => {
      const root = join(dir, name);
      mkdirSync(root, { recursive: true });
      for (const [path, body] of Object.entries(files)) writeFileSync(join(root, path), body);
      return root;
    };
    const mask = encode({ width: 32, height: 32, data: new Uint8Array(32 * 32).fill(255, 0, 100), channels: 1, depth: 8 });
    // A JPEG's signature and start-of-frame (32 × 32): enough for its header to be read, which Node then cannot decode.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 32, 0, 32, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    const corruptPng = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 32, 0, 0, 0, 32, 8, 0, 0, 0, 0, 1, 2, 3,
      4,
    ]);

    it.each([
      ['a missing folder', () => join(dir, 'none'), [/--data .*none: .*no such folder/]],
      ['an empty folder', () => folder('empty', {}), [/--data .*empty: .*no files in it/]],
      [
        'a folder of bad files only',
        () =>
          folder('bad', {
            'notes.txt': 'not an image',
            'a.png': corruptPng,
            'a_mask.png': mask,
            'b.jpg': jpeg,
            'b_mask.png': mask,
          }),
        [/notes\.txt/, /a\.png/, /b\.jpg/],
      ],
    ] as const)('exits 2 on %s, naming what is wrong', async (_, make, messages) => {
      const r = await experiment('--config', small(), '--data', make(), '--backend', 'cpu');
      expect(r.code).toBe(2);
      for (const m of messages) expect(r.stderr).toMatch(m);
    });

    it('says that a JPEG is decoded in the browser only, and trains on the rest', async () => {
      const good = encode({ width: 32, height: 32, data: new Uint8Array(32 * 32).fill(200, 0, 100), channels: 1, depth: 8 });
      const root = folder('mixed', {
        'a.png': good,
        'a_mask.png': mask,
        'c.png': good,
        'c_mask.png': mask,
        'b.jpg': jpeg,
        'b_mask.png': mask,
      });
      const r = await experiment('--config', small(), '--data', root, '--backend', 'cpu');
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/error: b\.jpg: .*JPEG is decoded in the browser only; convert to PNG or TIFF for the command line/);
      expect(r.stderr).toMatch(/data mixed: 2 pairs/);
    });
  });
});

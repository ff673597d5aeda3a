import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});

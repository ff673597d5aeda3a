import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function landscape(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['scripts/cli.mjs', 'landscape', ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run landscape', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'landscape-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({ seed: 3, batchSize: 4, data: { size: 16, train: 16, val: 8 }, losses: [{ id: 'softJaccard' }, { id: 'bce' }] }),
  );
  const out = join(dir, 'landscape.json');

  it('trains, then writes each run’s path, slice and trajectory', async () => {
    const r = await landscape(
      '--config',
      config,
      '--steps',
      '20',
      '--grid',
      '5',
      '--dirs',
      'pca',
      '--path',
      '9',
      '--out',
      out,
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.step).toBe(20);
    expect(file.config.losses.map((l: { id: string }) => l.id)).toEqual(['softJaccard', 'bce']);
    expect(file.runs).toHaveLength(2);
    for (const run of file.runs) {
      expect(run.path.alpha).toHaveLength(9);
      expect(run.path.alpha[0]).toBe(-0.5);
      for (const key of ['loss', 'iou', 'bce']) {
        expect(run.path[key]).toHaveLength(9);
        expect(run.slice[key]).toHaveLength(25);
      }
      expect(run.slice.x).toHaveLength(5);
      // Checkpoints at steps 0, 5, 10 and 15 before the final weights.
      expect(run.trajectory.pc1).toHaveLength(4);
      expect(run.trajectory.explained[0]).toBeGreaterThan(0);
    }
    // BCE's run: its loss is BCE, at every point.
    file.runs[1].slice.loss.forEach((v: number, i: number) => expect(v).toBeCloseTo(file.runs[1].slice.bce[i], 6));
    expect(r.stdout).toMatch(/^softJaccard\tslice loss [\d.]+–[\d.]+\tIoU/m);
  });

  it.each([
    [['--grid', '100'], /--grid: expected an integer in \[3, 51\], got 100/],
    [['--grid', 'big'], /--grid: expected an integer in \[3, 51\], got "big"/],
    [['--dirs', 'up'], /--dirs: expected one of 'random', 'pca', got "up"/],
    [['--steps=-3'], /--steps: expected an integer in \[0, 1000000\], got -3/],
    [['--runs', '0,7'], /--runs: expected a non-empty list of integers in \[0, 5\]/],
    [['--runs', '4'], /--runs: the race has 2 runs \(0–1\), not 4/],
    [['--steps', '3', '--dirs', 'pca'], /--dirs: PCA directions need at least two checkpoints before step 3/],
    [['--seed'], /--seed needs a value/],
  ])('exits 2 naming the option for %j', async (extra, message) => {
    const base = ['--config', config, '--out', out, '--backend', 'cpu'];
    const r = await landscape(...base, ...(extra.some((a) => a.startsWith('--steps')) ? [] : ['--steps', '2']), ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage: npm run landscape/);
  });

  it('computes the landscape of a race on a folder of images and masks', async () => {
    const r = await landscape(
      '--config',
      config,
      '--data',
      'public/examples/cells',
      '--steps',
      '2',
      '--grid',
      '3',
      '--out',
      out,
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/data cells: 8 pairs/);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.config.data).toMatchObject({ source: 'dir:cells', channels: 1, classes: 2 });
    expect(file.runs[0].slice.loss).toHaveLength(9);
  });

  it('exits 2 naming a --data folder that is not there', async () => {
    const r = await landscape('--config', config, '--data', join(dir, 'none'), '--steps', '2', '--out', out, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--data .*none: .*no such folder/);
  });
});

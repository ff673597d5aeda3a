import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { useBackend } from '../testing/backends';
import { Race } from './race';

// The product's reason to exist: from a collapsed start, 1 − IoU sits on a plateau while −log IoU and BCE learn.
const collapsed = (optimizer: object) =>
  parseExperimentConfig({
    seed: 1,
    batchSize: 8,
    evalEvery: 50,
    data: { shape: 'disks', classes: 2, size: 32, foreground: 0.06 },
    model: { width: 8, outputPrior: 3e-4 },
    optimizer,
    losses: [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'bce' }],
  });

async function train(optimizer: object, steps: number) {
  const race = new Race(collapsed(optimizer));
  try {
    while (race.step < steps) await race.advance(50);
    return race.histories.map((h) => ({ loss: h.loss.at(-1)!, valIoU: h.val.iou.at(-1)!, grad: h.logitGradFg }));
  } finally {
    race.dispose();
  }
}

describe('the collapsed start (output prior 3e-4), 200 steps', { timeout: 120_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  it('SGD with clipping: 1 − IoU is still on its plateau while −log IoU and BCE pass 0.8', async () => {
    const [soft, log, bce] = await train({ name: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 1 }, 200);
    expect(soft.valIoU).toBeLessThan(0.05);
    expect(soft.loss).toBeGreaterThan(0.99);
    expect(log.valIoU).toBeGreaterThan(0.8);
    expect(bce.valIoU).toBeGreaterThan(0.8);
    // Why: at the start the foreground logit gradient of 1 − IoU is ~1/p₀ times smaller than −log IoU's.
    expect(log.grad[0] / soft.grad[0]).toBeGreaterThan(1000);
  });

  it('Adam rescales the vanishing gradient: all three pass 0.8', async () => {
    const runs = await train({ name: 'adam', lr: 0.01, clipNorm: 1 }, 200);
    for (const r of runs) expect(r.valIoU).toBeGreaterThan(0.8);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { resolveLoss } from '../losses/registry';
import { ARCHITECTURE_IDS } from '../model/architectures';
import { initialWeights } from '../model/tinyNet';
import { useBackend, webGpuMissing } from '../testing/backends';
import { FusedLockstep } from './fusedLockstep';
import { fusedTails } from './fusedGate';
import type { TrainingSet } from './lockstep';

// The fused step's own bookkeeping (stackedRace.test.ts and fusedUnet.test.ts check its numbers against cpu): when
// it is chosen, frozen runs, and its state in and out, in every architecture. Small shapes: width 4, images of
// 16 px, batch 3.
const noAdapter = await webGpuMissing('the fused lockstep step is');

const cfg = parseExperimentConfig({ model: { width: 4 }, optimizer: { name: 'adam', lr: 0.01 }, data: { size: 16 } });
const specs = [resolveLoss({ id: 'bce' }), resolveLoss({ id: 'logJaccard' })];

function trainingSet(): TrainingSet {
  const [n, size] = [5, 16];
  const labels = Array.from({ length: n * size * size }, (_, i) => (Math.sin(i * 0.7) > 0.6 ? 1 : 0));
  return {
    x: tf.tensor4d(
      labels.map((l, i) => l + 0.3 * Math.cos(i)),
      [n, size, size, 1],
    ),
    targets: tf.tensor4d(labels, [n, size, size, 1]),
    masks: tf.zeros([2, n, size * size]),
  };
}

/** One step of every run on the images `indices`: one share, after which none is left. */
function stepOn(step: FusedLockstep, indices: Int32Array) {
  step.beginStep(indices);
  const { runs, packed } = step.stepShare(cfg.optimizer);
  expect(runs).toEqual(specs.map((_, k) => k));
  expect(step.hasShareLeft).toBe(false);
  step.endStep();
  tf.dispose(packed);
}

describe.skipIf(noAdapter !== null)('the fused lockstep step (Dawn in Node)', () => {
  beforeAll(() => useBackend('webgpu'));
  afterAll(() => useBackend('cpu'));

  it('is chosen for every architecture, on binary logits with losses that all have a tail', () => {
    for (const depth of ARCHITECTURE_IDS)
      expect(fusedTails(specs, { ...cfg.model, depth }, 2)?.map((t) => t.kind)).toEqual(['pixel', 'region']);
  });

  it.each(ARCHITECTURE_IDS)(
    '%s: a frozen run keeps its weights and optimiser state while the others step; its state goes out and back in',
    async (depth) => {
      const set = trainingSet();
      const before = tf.memory().numTensors;
      const model = { ...cfg.model, depth };
      const step = new FusedLockstep(model.depth, initialWeights(model, 1, 7), 'adam', fusedTails(specs, model, 2)!, set);
      stepOn(step, Int32Array.of(0, 2, 4));
      step.setFrozen([true, false]);
      const at = await step.save();
      stepOn(step, Int32Array.of(1, 3, 0));
      const next = await step.save();
      expect(next.weights[0]).toEqual(at.weights[0]);
      expect(next.optimizers[0].slots).toEqual(at.optimizers[0].slots);
      expect(next.weights[1]).not.toEqual(at.weights[1]);
      expect(next.optimizers.map((o) => o.t)).toEqual([2, 2]);
      // What goes out comes back in: the same state, and the same next step.
      step.load(at.weights, at.optimizers);
      expect(await step.save()).toEqual(at);
      step.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(set));
    },
  );
});

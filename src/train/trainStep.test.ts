import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import { buildLoss } from '../losses/buildLoss';
import { resolveLoss } from '../losses/registry';
import { confusionMatrices } from '../metrics/confusion';
import { initialWeights, TinyNet } from '../model/tinyNet';
import { useBackend } from '../testing/backends';
import { createOptimizer } from './createOptimizer';
import { packedLength, stepLayout, trainStep, unpackStep } from './trainStep';
import { parseExperimentConfig } from '../config/experimentConfig';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));

// The step's metrics come from fused products (one matrix product for the layer norms, one for the confusion, one
// for the logit gradients): here they are checked against the plain computations.
describe('the metrics a training step packs', () => {
  beforeAll(() => useBackend('cpu'));

  it.each([
    [2, 'bce'],
    [3, 'ce'],
  ] as const)('%i classes: loss, gradient norms, logit gradients and confusion equal the plain computations', async (classes, id) => {
    const out = classes === 2 ? 1 : classes;
    const config = parseExperimentConfig({ data: { classes }, model: { width: 4 } });
    const init = initialWeights(config.model, out, 11);
    const net = new TinyNet(config.model.depth, init);
    const [b, s] = [3, 8];
    const labels = tf.tensor3d(
      Array.from({ length: b * s * s }, (_, i) => ((i * 7) % 11) % classes),
      [b, s, s],
      'int32',
    );
    const x = tf.tidy(() =>
      tf.add(tf.expandDims(tf.cast(labels, 'float32'), 3), tf.randomNormal([b, s, s, 1], 0, 0.3, 'float32', 3)),
    ) as Tensor4D;
    const fgMask = tf.tidy(() => tf.expandDims(tf.cast(tf.greater(labels, 0), 'float32'), 3)) as Tensor4D;
    const bgMask = tf.tidy(() => tf.sub(1, fgMask)) as Tensor4D;
    const targets = classes === 2 ? tf.clone(fgMask) : labels;
    const loss = buildLoss(resolveLoss({ id }));

    // The plain computations, before the step changes the weights.
    const logits = net.forward(x);
    const confusion = Array.from(await tf.sum(confusionMatrices(logits, targets), 0).data());
    const { value, grads } = tf.variableGrads(() => loss(net.forward(x), targets) as never, net.variables);
    const norms = await Promise.all(net.variables.map(async (v) => (await tf.sum(tf.square(grads[v.name])).data())[0]));
    const layerNorms = net.layers.map((_, i) => Math.sqrt(norms[2 * i] + norms[2 * i + 1]));
    const dz = tf.grad((z: Tensor) => loss(z, targets))(logits);
    const magnitude = tf.mean(tf.abs(dz), -1, true);
    const meanOver = async (m: Tensor) => (await tf.sum(tf.mul(magnitude, m)).data())[0] / (await tf.sum(m).data())[0];

    const layout = stepLayout(init);
    const masks = tf.stack([tf.reshape(fgMask, [-1]), tf.reshape(bgMask, [-1])]) as Tensor2D;
    const object = (await tf.sum(fgMask).data())[0];
    const counts = { object, background: b * s * s - object };
    const packed = trainStep(net, loss, createOptimizer('sgd'), config.optimizer, { x, targets, masks }, layout);
    expect(packed.shape[0]).toBe(packedLength(init.length, classes));
    const got = unpackStep((await packed.data()) as Float32Array, init.length, classes, counts);
    close(got.loss, (await value.data())[0]);
    got.layerNorms.forEach((n, i) => close(n, layerNorms[i]));
    close(got.gradNorm, Math.hypot(...layerNorms));
    close(got.logitGradFg, await meanOver(fgMask));
    close(got.logitGradBg, await meanOver(bgMask));
    expect(Array.from(got.confusion)).toEqual(confusion);
    tf.dispose([labels, x, fgMask, bgMask, masks, targets, logits, value, ...Object.values(grads), dz, magnitude, packed, layout.segments]);
    net.dispose();
  });
});

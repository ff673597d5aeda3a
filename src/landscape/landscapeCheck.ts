// The landscape's own check on the backend in use: a 5 × 5 slice of a small net of each architecture
// (src/model/architectures.ts), evaluated the way the page evaluates a landscape, against the float64 forward
// pass. The Landscape view's numbers are only as good as the backend's; this is how the page shows that they are
// (webgpu and webgl included).
import { parseExperimentConfig } from '../config/experimentConfig';
import { generateDataset } from '../data/synthetic';
import { resolveLoss } from '../losses/registry';
import { ARCHITECTURE_IDS } from '../model/architectures';
import { initialWeights } from '../model/tinyNet';
import { tf } from '../tf';
import { filterNormalizedDirection } from './directions';
import { WeightSetEvaluator } from './evaluate';
import { linspace } from './landscape';
import { LANDSCAPE_CHECK_TOLERANCE, type LandscapeCheckResult } from './landscapeCheckResult';
import { referenceForward } from './referenceForward';
import { along, layoutOf, weightsOf } from './weightSet';

/** Float64 BCE and hard IoU of logits [pixels] against binary labels. */
export function referenceValues(z: Float64Array, labels: Uint8Array): { bce: number; iou: number } {
  let bce = 0;
  let [tp, fp, fn] = [0, 0, 0];
  z.forEach((v, i) => {
    const y = labels[i] > 0 ? 1 : 0;
    const x = (1 - 2 * y) * v;
    bce += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    const p = v > 0 ? 1 : 0;
    tp += p * y;
    fp += p * (1 - y);
    fn += (1 - p) * y;
  });
  return { bce: bce / z.length, iou: tp / (tp + fp + fn) };
}

export async function runLandscapeCheck(): Promise<LandscapeCheckResult> {
  let worst = 0;
  let mismatches = 0;
  let points = 0;
  for (const depth of ARCHITECTURE_IDS) {
    const config = parseExperimentConfig({
      data: { size: 16, train: 8, val: 4, foreground: 0.2 },
      model: { width: 4, depth },
      losses: [{ id: 'bce' }],
    });
    const data = generateDataset(config.data, config.seed);
    const init = initialWeights(config.model, 1, config.seed);
    const theta = weightsOf(init);
    const layout = layoutOf(init);
    const d = [1, 2].map((n) => filterNormalizedDirection(theta, layout, 9, `check-dir${n}`));
    const axis = linspace(-1, 1, 5);
    const sets = axis.flatMap((b) => axis.map((a) => along(theta, d, [a, b])));
    const evaluator = new WeightSetEvaluator(config, data.val, resolveLoss({ id: 'bce' }), 4);
    try {
      const got = await evaluator.evaluate(sets);
      sets.forEach((w, i) => {
        const want = referenceValues(referenceForward(config.model, w, data.val.images, data.val.count, config.data.size), data.val.labels);
        worst = Math.max(worst, Math.abs(got[i].bce - want.bce) / want.bce);
        if (Number.isFinite(want.iou) && Math.abs(got[i].iou - want.iou) > 1e-5) mismatches++;
      });
      points += sets.length;
    } finally {
      evaluator.dispose();
    }
  }
  return { backend: tf.getBackend(), points, worstRelative: worst, iouMismatches: mismatches, ok: worst < LANDSCAPE_CHECK_TOLERANCE };
}

import { aggregationDemo, allBackgroundScores, emptyRuleDemo } from '../../src/analytic/demos';
import type { LossSpec } from '../../src/losses/lossDefinition';
import { FLAT_LOSS } from '../../src/losses/lesson';
import type { AnalyticPart } from '../../src/tour/chapters';
import { definitionOf, lossName, resolveLoss } from '../../src/losses/registry';

const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.001 ? v.toPrecision(3) : v.toExponential(2));
/** The demos vary a loss's aggregation and empty rule: they need a loss that has both. */
const hasGroups = (l: LossSpec) => ['aggregation', 'empty'].every((k) => definitionOf(l).params.some((p) => p.key === k));

/** "Sum before or after dividing?" and "what does an empty mask do?", on the first region loss shown. */
export function Demos({ losses, pFg, pBg, parts }: { losses: LossSpec[]; pFg: number; pBg: number; parts: readonly AnalyticPart[] }) {
  const loss = losses.find(hasGroups) ?? resolveLoss({ id: FLAT_LOSS });
  const name = lossName(loss);
  const agg = aggregationDemo(loss, pFg, pBg);
  const empty = emptyRuleDemo(loss, pFg, pBg);
  const bg = allBackgroundScores(10, 9);
  return (
    <div className="demos">
      {parts.includes('aggregation') && (
        <section className="card" aria-labelledby="agg-title" style={{ order: parts.indexOf('aggregation') }}>
          <h2 id="agg-title">Sum before or after dividing?</h2>
          <p className="caption">
            Two images with the same predictions: a small one ({agg.images[0].n} pixels, {agg.images[0].f} foreground) and a large one (
            {agg.images[1].n} pixels, {agg.images[1].f} foreground), under {name}.
          </p>
          <table className="readout">
            <thead>
              <tr>
                <th scope="col">aggregation</th>
                <th scope="col">loss</th>
                <th scope="col">∂L/∂z, fg pixel of the small image</th>
                <th scope="col">… of the large image</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">mean of per-image ratios</th>
                <td>{sci(agg.perImage.value)}</td>
                <td>{sci(agg.perImage.gradFg[0])}</td>
                <td>{sci(agg.perImage.gradFg[1])}</td>
              </tr>
              <tr>
                <th scope="row">one ratio of sums (Σ I / Σ U)</th>
                <td>{sci(agg.batch.value)}</td>
                <td>{sci(agg.batch.gradFg[0])}</td>
                <td>{sci(agg.batch.gradFg[1])}</td>
              </tr>
            </tbody>
          </table>
          <p className="caption">
            Per image, each image counts once, so a pixel of the small image pulls harder; summed first, every pixel counts the same and
            errors can cancel across images.
          </p>
        </section>
      )}
      {parts.includes('empty') && (
        <section className="card" aria-labelledby="empty-title" style={{ order: parts.indexOf('empty') }}>
          <h2 id="empty-title">Empty masks</h2>
          <p className="caption">
            A batch of an image with foreground and one without, both at the current predictions, per image, under {name}.
          </p>
          <table className="readout">
            <thead>
              <tr>
                <th scope="col">empty rule</th>
                <th scope="col">smooth 0</th>
                <th scope="col">smooth 1</th>
              </tr>
            </thead>
            <tbody>
              {(['zero', 'skip', 'keep'] as const).map((rule) => (
                <tr key={rule}>
                  <th scope="row">{rule}</th>
                  {[0, 1].map((sm) => (
                    <td key={sm}>{sci(empty.find((r) => r.rule === rule && r.smooth === sm)!.value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="caption">
            And the metric: with 9 of 10 images empty and a model that predicts background everywhere, per-image IoU scoring empty images as
            1 reports {bg.perImageEmptyIsOne.toFixed(3)} and per-image mIoU {bg.perImageMeanIoU.toFixed(3)}, while the foreground IoU of the
            data set is {bg.datasetForeground.toFixed(3)}.
          </p>
        </section>
      )}
    </div>
  );
}

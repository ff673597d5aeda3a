import { useMemo, useState } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import { aggregationCurve, cancellationExample, SMALL_IMAGE } from '../../src/analytic/aggregation';
import { aggregationDemo } from '../../src/analytic/demos';
import { EMPTY_RULE_LINES, EMPTY_SET, emptyRuleLosses, emptyRules, emptySetScores, perImageMIoU } from '../../src/analytic/emptyImages';
import type { EmptyRule } from '../../src/losses/groupMean';
import type { LossSpec } from '../../src/losses/lossDefinition';
import { FLAT_LOSS } from '../../src/losses/lesson';
import type { AnalyticPart } from '../../src/tour/chapters';
import { definitionOf, lossName, resolveLoss } from '../../src/losses/registry';
import { LineChart, type ChartSeries } from '../charts/lineChart';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import { CurveLegend } from './CurveLegend';
import { ImageScores } from './ImageScores';
import { formatP } from './LogitSlider';
import './Demos.css';

const sci = sciFormat({ smallest: 0.001 });
const times = (r: number) => `${r >= 100 ? r.toFixed(0) : String(Number(r.toPrecision(3)))}×`;
/** The demos vary a loss's aggregation and empty rule: they need a loss that has both. */
const hasGroups = (l: LossSpec) => ['aggregation', 'empty'].every((k) => definitionOf(l).params.some((p) => p.key === k));
/** The demos' parts, in the order a page that shows them all lays them out. */
const DEMO_PARTS = ['aggregationCurve', 'cancellation', 'aggregation', 'emptyScores', 'empty'] as const satisfies readonly AnalyticPart[];
const AREA_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** |∂L/∂z| on an object pixel against its object's area, per image and summed over the batch first. */
function AggregationCurve({ loss, pFg, pBg }: { loss: LossSpec; pFg: number; pBg: number }) {
  const curve = useMemo(() => aggregationCurve(loss, pFg, pBg), [loss, pFg, pBg]);
  const [hover, setHover] = useState<number | null>(null);
  const series = useMemo((): ChartSeries[] => {
    // The two runs of the chapter's race, named and coloured as the race draws them.
    const runs = [resolveLoss({ ...loss, aggregation: 'perImage' }), resolveLoss({ ...loss, aggregation: 'batch' })];
    const [perImage, batch] = lossColors(runs);
    const [perImageName, batchName] = runNames(runs, 'binary');
    const x = curve.areas.map(Math.log10);
    return [
      { id: 'perImage', label: `${perImageName}: mean of per-image ratios`, color: perImage, x, y: curve.perImage },
      { id: 'batch', label: `${batchName}: one ratio Σ I / Σ U`, color: batch, x, y: curve.batch },
    ];
  }, [curve, loss]);
  const last = curve.areas.length - 1;
  const at = curve.areas.indexOf(SMALL_IMAGE.f);
  const top = Math.log10(curve.image);
  const summary = `|∂L/∂z| on an object pixel against the object's area: per image from ${sci(curve.perImage[0])} at 1 pixel to ${sci(curve.perImage[last])} at ${curve.image}; batch ratio from ${sci(curve.batch[0])} to ${sci(curve.batch[last])}`;
  return (
    <>
      <CurveLegend series={series} label="Aggregations" />
      <figure className="chart-panel">
        <div role="img" aria-label={summary}>
          <LineChart
            title={`|∂L/∂z| on an object pixel against its object's area, ${lossName(loss)}`}
            series={series}
            yScale="log"
            xMax={top}
            xDomain={[0, top]}
            xTicks={AREA_TICKS.filter((a) => a <= curve.image).map(Math.log10)}
            xFormat={(v) => String(Math.round(10 ** v))}
            hoverStep={hover}
            onHover={setHover}
            format={sci}
            marker={Math.log10(SMALL_IMAGE.f)}
          />
        </div>
        <p className="axis-note">object area, pixels of a {curve.image}-pixel image (log) →</p>
        <figcaption>
          The object of a {curve.image}-pixel image grows from 1 pixel to the whole image, batched with an image of {curve.partner.n} pixels
          and {curve.partner.f} object pixels, every pixel at p_fg {formatP(pFg)}, p_bg {formatP(pBg)}. From 1 to {curve.image} pixels an
          object pixel’s gradient falls {times(curve.perImage[0] / curve.perImage[last])} per image and{' '}
          {times(curve.batch[0] / curve.batch[last])} under the batch ratio. At {SMALL_IMAGE.f} pixels (the vertical line, the table’s small
          image) per image pulls {times(curve.perImage[at] / curve.batch[at])} harder.
        </figcaption>
      </figure>
    </>
  );
}

/** The cards' shared props: the demos' loss and the toy's confidences. */
interface DemoProps {
  loss: LossSpec;
  pFg: number;
  pBg: number;
}

/** A large object found and a small one missed: the batch ratio hides the miss, the mean of per-image ratios does not. */
function Cancellation() {
  const cancel = cancellationExample();
  const [large, small] = cancel.images;
  return (
    <>
      <h2 id="cancel-title">A missed object the batch ratio hides</h2>
      <ImageScores
        scores={cancel}
        meanLabel="mean of the per-image IoUs"
        pooledLabel="one IoU of the batch, Σ I / Σ U"
        pooledShort="batch"
      />
      <p className="caption">
        A large object ({large.object} of {large.pixels} pixels) is found exactly; a small one ({small.object} pixels) is missed entirely. Σ
        I / Σ U = {cancel.pooled.toFixed(2)}: the found pixels outweigh the missed ones. The mean of the two ratios,{' '}
        {cancel.mean.toFixed(2)}, says that one object in two was missed.
      </p>
    </>
  );
}

/** The loss and a foreground pixel's gradient in a small and a large image, averaged per image or summed first. */
function Aggregation({ loss, pFg, pBg }: DemoProps) {
  const agg = aggregationDemo(loss, pFg, pBg);
  return (
    <>
      <h2 id="agg-title">Sum before or after dividing?</h2>
      <p className="caption">
        Two images with the same predictions: a small one ({agg.images[0].n} pixels, {agg.images[0].f} foreground) and a large one (
        {agg.images[1].n} pixels, {agg.images[1].f} foreground), under {lossName(loss)}.
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
        Per image, each image counts once, so a pixel of the small image pulls harder; summed first, every pixel counts the same and errors
        can cancel across images.
      </p>
    </>
  );
}

/** The IoU of each image of a set with empty images, their mean and the set's own IoU. */
function EmptyScores({ pFg, pBg }: Omit<DemoProps, 'loss'>) {
  const set = emptySetScores(pFg, pBg);
  return (
    <>
      <h2 id="empty-scores-title">
        {EMPTY_SET.images} images, {EMPTY_SET.empty} of them empty: IoU per image and over the set
      </h2>
      <ImageScores
        scores={set}
        meanLabel="mean of the per-image IoUs (an empty image with nothing predicted scores 1)"
        pooledLabel="IoU of the whole data set"
        pooledShort="data set"
      />
      <p className="caption">
        Every object pixel at p_fg {formatP(pFg)}, every background pixel at p_bg {formatP(pBg)}, thresholded at 0.5. The per-image mean is{' '}
        {set.mean.toFixed(2)} and, with the background class in it (per-image mIoU), {perImageMIoU(set.images).toFixed(3)}; the data set’s
        IoU is {set.pooled.toFixed(2)}.
      </p>
    </>
  );
}

/** The loss's empty rules, each in a line, and the loss each gives on the same images with and without smoothing. */
function EmptyRules({ loss, pFg, pBg }: DemoProps) {
  const rules = emptyRules(loss);
  const ruleLosses = emptyRuleLosses(loss, pFg, pBg);
  const ruleLoss = (rule: EmptyRule, smooth: number) => ruleLosses.find((r) => r.rule === rule && r.smooth === smooth)!.value;
  return (
    <>
      <h2 id="empty-title">Empty images in the loss</h2>
      <p className="caption">
        {lossName(loss)}, averaged per image over the same {EMPTY_SET.images} images at the same predictions. An empty image:
      </p>
      <ul className="rule-lines">
        {rules.map((rule) => (
          <li key={rule}>
            <strong>{rule}</strong> {EMPTY_RULE_LINES[rule]}.
          </li>
        ))}
      </ul>
      <table className="readout">
        <thead>
          <tr>
            <th scope="col">empty rule</th>
            <th scope="col">smoothing 0</th>
            <th scope="col">smoothing 1</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule}>
              <th scope="row">{rule}</th>
              {[0, 1].map((sm) => (
                <td key={sm}>{sci(ruleLoss(rule, sm))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rules.includes('keep') && (
        <p className="caption">
          Keep: smoothing 1 moves the loss of these predictions from {sci(ruleLoss('keep', 0))} to {sci(ruleLoss('keep', 1))}. An empty
          image that predicts nothing then scores 1, as in the per-image metric: predicting nothing is rewarded {EMPTY_SET.empty} times in{' '}
          {EMPTY_SET.images}.
        </p>
      )}
    </>
  );
}

/** Each demo part: its card's heading id and what it draws. */
const DEMOS: Record<(typeof DEMO_PARTS)[number], { headingId: string; Card: (props: DemoProps) => React.ReactNode }> = {
  aggregationCurve: {
    headingId: 'agg-curve-title',
    Card: (props) => (
      <>
        <h2 id="agg-curve-title">How hard an object pixel is pulled, by the size of its object</h2>
        <AggregationCurve {...props} />
      </>
    ),
  },
  cancellation: { headingId: 'cancel-title', Card: Cancellation },
  aggregation: { headingId: 'agg-title', Card: Aggregation },
  emptyScores: { headingId: 'empty-scores-title', Card: EmptyScores },
  empty: { headingId: 'empty-title', Card: EmptyRules },
};

/** "Sum before or after dividing?" and "what does an empty mask do?", on the first region loss shown. */
export function Demos({ losses, pFg, pBg, parts }: { losses: LossSpec[]; pFg: number; pBg: number; parts: readonly AnalyticPart[] }) {
  const loss = useMemo(() => losses.find(hasGroups) ?? resolveLoss({ id: FLAT_LOSS }), [losses]);
  const shown = DEMO_PARTS.filter((p) => parts.includes(p));
  if (!shown.length) return null;
  return (
    // Among the view's cards where its first part goes.
    <div className="demos" style={{ order: Math.min(...shown.map((p) => parts.indexOf(p))) }}>
      {shown.map((part) => {
        const { headingId, Card } = DEMOS[part];
        return (
          <section key={part} className="card" aria-labelledby={headingId} style={{ order: parts.indexOf(part) }}>
            <Card loss={loss} pFg={pFg} pBg={pBg} />
          </section>
        );
      })}
    </div>
  );
}

// The guided tour: the answers of the question "why don't we train on IoU?", one idea per chapter, each with a
// live figure and the claims its text makes. Every race claim is trained from the figure's own config, so the
// figure shows what the claim measured; the text prints the claims' bounds, never a number of its own.
import { aggregationDemo, allBackgroundScores } from '../analytic/demos';
import { compileLosses, readouts, type ToySettings } from '../analytic/surface';
import { toyHardIoU } from '../analytic/toyLosses';
import type { ExperimentInput } from '../config/experimentConfig';
import { CONDITIONED_LOSS, FLAT_LOSS, pixelLoss, suggestedCombo } from '../losses/lesson';
import type { LossInput } from '../losses/lossDefinition';
import { lovaszHinge } from '../losses/lovasz';
import { findPreset } from '../losses/presets';
import { resolveLoss } from '../losses/registry';
import { boundText, maxOver, spread, valIoUAt, type Claim } from './claim';
import type { LandscapeSettings } from '../landscape/landscapeSettings';
import { flatRun, readPlateauFigure } from './figureFiles';
import plateauJson from './figures/plateau.json';

/** Parts of the analytic view a chapter can show. */
export const ANALYTIC_PARTS = ['toy', 'readout', 'curves', 'surfaces', 'aggregation', 'empty'] as const;
export type AnalyticPart = (typeof ANALYTIC_PARTS)[number];

export interface RaceFigure {
  kind: 'race';
  /** The race, as a config file writes it; `steps` is how far the claims train it. */
  config: ExperimentInput & { steps: number };
  /** The charts' selectors (the view's settings, e.g. `{ grad: 'logit' }`), checked against the page's schema. */
  charts?: Record<string, string>;
  /** An analytic table shown with the race. */
  aside?: AnalyticFigure;
  /** The landscape its claims are measured on; "Open in the explorer" opens the Landscape view with these settings. */
  landscape?: Partial<LandscapeSettings>;
  /** Shows the plateau's length against the output prior, from this race (src/tour/figures/plateau.json, `npm run plateau`). */
  plateau?: true;
}

export interface AnalyticFigure {
  kind: 'analytic';
  parts: readonly AnalyticPart[];
  toy: Partial<ToySettings>;
  losses: LossInput[];
}

export interface AdviceRow {
  advice: string;
  chapter: string;
}

export interface Chapter {
  /** Stable: links use it (`?view=tour&ch=collapse`). */
  slug: string;
  title: string;
  /** 60–150 words, in paragraphs. */
  text: string[];
  lookFor: string;
  figure: RaceFigure | AnalyticFigure;
  claims: Claim[];
  /** The summary chapter's table. */
  advice?: AdviceRow[];
}

const FLAT = { id: FLAT_LOSS };
const CONDITIONED = { id: CONDITIONED_LOSS };
const PIXEL = { id: pixelLoss('binary') };
const preset = (key: string): LossInput => findPreset(key, 'binary')!.loss;

/** The collapsed start: every pixel starts at p = 10⁻⁴, so 1 − IoU's gradient starts about 10⁴ times too small. */
const COLLAPSED: ExperimentInput & { steps: number } = {
  seed: 1,
  steps: 300,
  batchSize: 8,
  evalEvery: 25,
  data: { shape: 'disks', classes: 2, size: 32, foreground: 0.06 },
  model: { width: 8, outputPrior: 1e-4 },
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 1 },
  losses: [FLAT, CONDITIONED, PIXEL],
};
const SGD_CLIPPED = COLLAPSED.optimizer;

/** Value and foreground-pixel gradient of losses on the toy, in float64. */
const onToy = (losses: LossInput[], toy: ToySettings) =>
  readouts(
    toy,
    compileLosses(
      losses.map((l) => resolveLoss(l)),
      toy.smooth,
    ),
  );
const TOY: ToySettings = { pixels: 100, foreground: 0.1, pFg: 0.51, pBg: 0.05, smooth: 0 };
const hardAt = (pFg: number) => toyHardIoU({ n: TOY.pixels, f: TOY.pixels * TOY.foreground, pFg, pBg: TOY.pBg });

const noSlope = {
  bce: { id: 'bce-tells-apart', kind: 'analytic', says: 'BCE at p_fg 0.51 divided by BCE at 0.99', above: 2 },
  same: { id: 'hard-iou-same', kind: 'analytic', says: '|hard IoU at p_fg 0.51 − at 0.99|', below: 1e-12, inWords: true },
} as const;

const soft = {
  slope: { id: 'soft-has-slope', kind: 'analytic', says: '|∂(1 − IoU)/∂z| on a foreground pixel at p_fg 0.9', above: 1e-3 },
  agrees: { id: 'soft-meets-hard', kind: 'analytic', says: '|soft − hard IoU| at p_fg 0.9999, p_bg 0.0001', below: 0.01 },
} as const;

const collapse = {
  flat: { id: 'flat-stays', kind: 'race', says: '1 − IoU’s validation IoU after 300 steps', below: 0.05 },
  log: { id: 'log-learns', kind: 'race', says: '−log IoU’s validation IoU after 300 steps', above: 0.7 },
  bce: { id: 'bce-learns', kind: 'race', says: 'BCE’s validation IoU after 300 steps', above: 0.7 },
  ratio: { id: 'gradient-ratio', kind: 'race', says: '−log IoU’s logit gradient over 1 − IoU’s at step 0', above: 1000 },
  // Measured on the plateau figure's file, which tour:verify recomputes (a stale file fails it): `npm run plateau`.
  plateau: {
    id: 'plateau-slope',
    kind: 'analytic',
    says: 'the log–log slope of 1 − IoU’s plateau length (steps to validation IoU 0.5) against the prior p, p ≤ 10⁻³',
    above: -1.1,
    below: -0.8,
    shown: -0.89,
    inWords: true,
  },
} as const;

const landscape = {
  flat: { id: 'flat-slice', kind: 'landscape', says: 'how much 1 − IoU changes across its slice after 200 steps', below: 0.1 },
  flatBest: { id: 'flat-best', kind: 'landscape', says: 'the best hard IoU anywhere on 1 − IoU’s slice', below: 0.05 },
  logBest: { id: 'log-best', kind: 'landscape', says: 'the best hard IoU on −log IoU’s slice', above: 0.7 },
  bceBest: { id: 'bce-best', kind: 'landscape', says: 'the best hard IoU on BCE’s slice', above: 0.7 },
} as const;

const logCost = {
  overshoot: {
    id: 'overshoot',
    kind: 'race',
    says: 'the largest share of pixels −log IoU calls foreground in its first 10 steps',
    above: 0.9,
  },
  stuck: { id: 'stuck', kind: 'race', says: '−log IoU’s validation IoU after 100 steps, unclipped', below: 0.1 },
  bce: { id: 'bce-fine', kind: 'race', says: 'BCE’s validation IoU after 100 steps, unclipped', above: 0.7 },
} as const;

const adam = {
  all: { id: 'all-learn', kind: 'race', says: 'the lowest validation IoU of the three after 200 steps', above: 0.8 },
} as const;

const AGG_TABLE: AnalyticFigure = { kind: 'analytic', parts: ['aggregation'], toy: { pFg: 0.3, pBg: 0.05 }, losses: [CONDITIONED] };
const aggregation = {
  pull: {
    id: 'small-pulls-harder',
    kind: 'analytic',
    says: 'per image, a small image’s foreground pixel gets this many times its gradient under Σ I / Σ U',
    above: 2,
  },
  same: { id: 'same-result', kind: 'race', says: 'the gap between the two runs’ validation IoU after 300 steps', below: 0.05 },
  learn: { id: 'both-learn', kind: 'race', says: 'the lower of the two validation IoUs after 300 steps', above: 0.8 },
} as const;

const empty = {
  miou: {
    id: 'all-background-miou',
    kind: 'analytic',
    says: 'per-image mIoU of an all-background model, 9 of 10 images empty',
    above: 0.92,
  },
  iou: { id: 'all-background-iou', kind: 'analytic', says: 'per-image IoU of the same model, empty images scored 1', above: 0.89 },
  truth: { id: 'dataset-iou', kind: 'analytic', says: 'its foreground IoU over the whole data set', below: 0.01 },
} as const;

const IMBALANCED_LOG_MIOU = { id: CONDITIONED_LOSS, aggregation: 'perImage', smooth: 1, empty: 'keep' };
const imbalance = {
  starts: { id: 'starts-lower', kind: 'race', says: 'the first loss of −log mIoU with background over that without', below: 0.8 },
  withBg: { id: 'miou-misses', kind: 'race', says: '−log mIoU’s (background in) validation IoU after 300 steps', below: 0.05 },
  noBg: { id: 'no-bg-misses', kind: 'race', says: '−log mIoU’s (background out) validation IoU after 300 steps', below: 0.05 },
  ce: { id: 'ce-finds', kind: 'race', says: 'cross-entropy’s validation IoU after 300 steps', above: 0.2 },
  weighted: { id: 'weighted-ce-finds', kind: 'race', says: 'weighted cross-entropy’s validation IoU after 300 steps', above: 0.15 },
} as const;

const surrogates = {
  lovasz: { id: 'lovasz-learns', kind: 'race', says: 'Lovász hinge’s validation IoU after 300 steps', above: 0.8 },
  smp: { id: 'smp-dice-flat', kind: 'race', says: 'smp DiceLoss’s validation IoU after 300 steps', below: 0.05 },
  monai: { id: 'monai-dice-flat', kind: 'race', says: 'MONAI DiceLoss’s validation IoU after 300 steps', below: 0.05 },
  focal: { id: 'focal-learns', kind: 'race', says: 'focal loss’s validation IoU after 300 steps', above: 0.8 },
} as const;

const summary = {
  combo: { id: 'combo-learns', kind: 'race', says: 'BCE + −log IoU’s validation IoU after 300 steps', above: 0.8 },
  flat: { id: 'flat-stays', kind: 'race', says: '1 − IoU’s validation IoU after 300 steps', below: 0.05 },
} as const;

const b = boundText;

export const CHAPTERS: readonly Chapter[] = [
  {
    slug: 'no-slope',
    title: 'The metric has no slope',
    text: [
      'IoU counts pixels after a threshold: a pixel is object when p > 0.5. Nudge a weight and almost no pixel crosses 0.5, so the score does not move. Its gradient is zero almost everywhere, and where a pixel does cross, the score jumps.',
      `Gradient descent needs a slope. Here every object pixel predicts p_fg: at 0.51 and at 0.99 the hard IoU is exactly the same, while cross-entropy at 0.51 is ${b(noSlope.bce)} times its value at 0.99. Cross-entropy knows the second network is surer; IoU cannot tell them apart, so it cannot say which way to move.`,
    ],
    lookFor: 'Drag p_fg between 0.51 and 0.99: the hard IoU row stays put while BCE falls.',
    figure: { kind: 'analytic', parts: ['readout', 'toy'], toy: TOY, losses: [PIXEL, FLAT, CONDITIONED] },
    claims: [
      { ...noSlope.same, measure: () => Math.abs(hardAt(0.51) - hardAt(0.99)) },
      {
        ...noSlope.bce,
        measure: () => onToy([PIXEL], { ...TOY, pFg: 0.51 })[0].value / onToy([PIXEL], { ...TOY, pFg: 0.99 })[0].value,
      },
    ],
  },
  {
    slug: 'soft-iou',
    title: 'A soft IoU',
    text: [
      'Replace the counts by probabilities. The intersection becomes I ≈ Σ y·p and the union U ≈ Σ (y + p − y·p), and 1 − I/U is a smooth function of every logit.',
      `The maps show each loss over the foreground logit (across) and the background logit (up). The hard IoU is four flat plateaus; 1 − IoU slopes everywhere: at p_fg = 0.9 its gradient on an object pixel is ${b(soft.slope)}. Where the predictions are sure, the soft and the hard IoU agree (their difference is ${b(soft.agrees)} at p_fg = 0.9999, p_bg = 0.0001), so the soft score is a surrogate that aims at the metric.`,
    ],
    lookFor: 'Compare the 1 − IoU map with the hard IoU map: one slopes, the other steps.',
    figure: { kind: 'analytic', parts: ['surfaces', 'toy'], toy: { ...TOY, pFg: 0.9 }, losses: [FLAT, CONDITIONED] },
    claims: [
      { ...soft.slope, measure: () => Math.abs(onToy([FLAT], { ...TOY, pFg: 0.9 })[0].gradFg) },
      {
        ...soft.agrees,
        measure: () => {
          const sure = { ...TOY, pFg: 0.9999, pBg: 0.0001 };
          return Math.abs(
            1 -
              onToy([FLAT], sure)[0].value -
              toyHardIoU({ n: sure.pixels, f: sure.pixels * sure.foreground, pFg: sure.pFg, pBg: sure.pBg }),
          );
        },
      },
    ],
  },
  {
    slug: 'collapse',
    title: 'The collapse',
    text: [
      'A network often starts, or drifts, to predicting background everywhere: every p near 0. This race starts there, at p = 10⁻⁴, and trains three losses from the same weights on the same batches.',
      `1 − IoU’s gradient on an object pixel is about p times −log IoU’s, so it starts ${b(collapse.ratio)} times smaller. After 300 steps 1 − IoU is still on its plateau (validation IoU ${b(collapse.flat)}), while −log IoU (${b(collapse.log)}) and BCE (${b(collapse.bce)}) have found the disks. Nothing is wrong with 1 − IoU’s optimum: it cannot see the way there.`,
    ],
    lookFor: 'Press Play: the blue line stays flat in every chart while the other two fall and rise.',
    figure: { kind: 'race', config: COLLAPSED, charts: { grad: 'logit' }, plateau: true },
    claims: [
      { ...collapse.flat, measure: (r) => valIoUAt(r[0], 300) },
      { ...collapse.log, measure: (r) => valIoUAt(r[1], 300) },
      { ...collapse.bce, measure: (r) => valIoUAt(r[2], 300) },
      { ...collapse.ratio, measure: (r) => r[1].logitGradFg[0] / r[0].logitGradFg[0] },
      { ...collapse.plateau, measure: () => flatRun(readPlateauFigure(plateauJson))?.fit?.slope ?? NaN },
    ],
  },
  {
    slug: 'landscape',
    title: 'The plateau, seen from the weights',
    text: [
      'The Landscape tab draws each run’s loss around the weights it has trained to: a slice through weight space along two random directions, each scaled filter by filter to the size of the weights’ own filters (Li et al. 2018), beside the hard IoU over the same slice.',
      `After 200 steps of the collapsed race, 1 − IoU’s slice is a plateau: across it the loss changes by ${b(landscape.flat)}, and the best hard IoU anywhere on it is ${b(landscape.flatBest)}. The slices of −log IoU and BCE, as wide around their own weights, reach hard IoU ${b(landscape.logBest)} and ${b(landscape.bceBest)}: they have climbed the cliff in the metric’s map that 1 − IoU cannot see.`,
    ],
    lookFor: 'Open it in the explorer and train 200 steps: the blue run’s loss map is one colour and its IoU map dark.',
    figure: { kind: 'race', config: { ...COLLAPSED, steps: 200 }, landscape: { grid: 11, dirs: 'random', seed: 1 } },
    claims: [
      { ...landscape.flat, measureLandscape: (l) => spread(l.runs[0].slice.loss) },
      { ...landscape.flatBest, measureLandscape: (l) => Math.max(...l.runs[0].slice.iou) },
      { ...landscape.logBest, measureLandscape: (l) => Math.max(...l.runs[1].slice.iou) },
      { ...landscape.bceBest, measureLandscape: (l) => Math.max(...l.runs[2].slice.iou) },
    ],
  },
  {
    slug: 'log-cost',
    title: 'Why the log helps, and what it costs',
    text: [
      '−log IoU has the same optimum as 1 − IoU, but its gradient is divided by the IoU. Near a collapsed start the IoU is tiny, so the push is huge: exactly what rescued it in the last chapter.',
      `Without gradient clipping that push is too strong. In its first 10 steps −log IoU overshoots until it calls ${b(logCost.overshoot)} of all pixels foreground, and from there it does not recover: after 100 steps its validation IoU is ${b(logCost.stuck)}, while BCE, whose gradient is bounded, reaches ${b(logCost.bce)}. The log buys a gradient at the start and pays with a step size to watch.`,
    ],
    lookFor: 'Step a few times: −log IoU’s predictions turn yellow everywhere and its IoU line stays low.',
    figure: {
      kind: 'race',
      config: { ...COLLAPSED, steps: 100, evalEvery: 10, optimizer: { ...SGD_CLIPPED, clipNorm: null } },
    },
    claims: [
      { ...logCost.overshoot, measure: (r) => maxOver(r[1].fgFraction, 10) },
      { ...logCost.stuck, measure: (r) => valIoUAt(r[1], 100) },
      { ...logCost.bce, measure: (r) => valIoUAt(r[2], 100) },
    ],
  },
  {
    slug: 'adam',
    title: 'Adam hides it',
    text: [
      'Run the same race under Adam. Adam divides each parameter’s step by a running estimate of its gradient’s size, so a gradient thousands of times too small gets about the same step as a healthy one.',
      `All three losses learn: after 200 steps the slowest is at validation IoU ${b(adam.all)}. That is why many people never meet the plateau. It is still there in the gradient chart, and it returns as soon as the optimiser, the learning rate schedule or a frozen layer stops rescaling it.`,
    ],
    lookFor: 'The gradient chart shows mean |∂L/∂logit|: 1 − IoU’s starts far below the others’, yet its IoU rises with theirs.',
    figure: {
      kind: 'race',
      config: { ...COLLAPSED, steps: 200, optimizer: { name: 'adam', lr: 0.01, clipNorm: 1 } },
      charts: { grad: 'logit' },
    },
    claims: [{ ...adam.all, measure: (r) => Math.min(...r.map((h) => valIoUAt(h, 200))) }],
  },
  {
    slug: 'aggregation',
    title: 'Sum before or after dividing',
    text: [
      'A batch holds several images. Σ I / Σ U over the batch makes every pixel count the same; the mean of per-image ratios I/U makes every image count the same, so a pixel of a small object pulls harder.',
      `In the table, a small image’s object pixel gets ${b(aggregation.pull)} times the gradient per image that it gets from the batch ratio. The race trains both on disks and squares of mixed sizes; here they end close (a gap ${b(aggregation.same)}, both ${b(aggregation.learn)}). Per image suits data sets whose objects differ in size; the batch ratio is steadier when many images are empty.`,
    ],
    lookFor: 'Compare the gradient columns of the table, then the two IoU lines of the race.',
    figure: {
      kind: 'race',
      config: {
        ...COLLAPSED,
        data: { shape: 'mixed', classes: 2, size: 32, foreground: 0.06 },
        model: { width: 8, outputPrior: 0.01 },
        losses: [
          { ...CONDITIONED, aggregation: 'perImage' },
          { ...CONDITIONED, aggregation: 'batch' },
        ],
      },
      aside: AGG_TABLE,
    },
    claims: [
      {
        ...aggregation.pull,
        measure: () => {
          const d = aggregationDemo(resolveLoss(AGG_TABLE.losses[0]), AGG_TABLE.toy.pFg!, AGG_TABLE.toy.pBg!);
          return d.perImage.gradFg[0] / d.batch.gradFg[0];
        },
      },
      { ...aggregation.same, measure: (r) => Math.abs(valIoUAt(r[0], 300) - valIoUAt(r[1], 300)) },
      { ...aggregation.learn, measure: (r) => Math.min(valIoUAt(r[0], 300), valIoUAt(r[1], 300)) },
    ],
  },
  {
    slug: 'empty-images',
    title: 'Empty images and the > 0.92 that means nothing',
    text: [
      'A reader trained on the soft IoU and reported IoU and Dice above 0.92 with predictions that were all zeros. Empty images explain it.',
      `An image with no object has I = U = 0. A smoothing term turns 0/0 into 1, and a per-image mean then averages those ones in. Take 10 images, 9 of them empty, and a model that predicts background everywhere: the per-image mIoU with background is ${b(empty.miou)} and the per-image IoU ${b(empty.iou)}, yet the foreground IoU of the whole data set is ${b(empty.truth)}. Score the data set, or per class without the background, and leave empty images out.`,
    ],
    lookFor: 'In the empty-mask table, compare the rules: keep with smoothing 1 rewards predicting nothing.',
    figure: { kind: 'analytic', parts: ['empty'], toy: { ...TOY, pFg: 0.01, pBg: 0.01 }, losses: [FLAT] },
    claims: [
      { ...empty.miou, measure: () => allBackgroundScores(10, 9).perImageMeanIoU },
      { ...empty.iou, measure: () => allBackgroundScores(10, 9).perImageEmptyIsOne },
      { ...empty.truth, measure: () => allBackgroundScores(10, 9).datasetForeground },
    ],
  },
  {
    slug: 'imbalance',
    title: 'Imbalance and mIoU',
    text: [
      'Another reader trained on −log mIoU with Adam and saw its loss “near 0 from the start” on a heavily imbalanced task, while BCE converged.',
      `This race has three classes (background, disks, squares), objects on 2 % of an image and 80 % empty images; −log mIoU is −log IoU averaged over the classes, per image, with smoothing 1. Background and smoothed empty images already score near 1, so with the background in the mean the loss starts lower (${b(imbalance.starts)} of the loss without it). After 300 steps −log mIoU has not found the objects, with the background in (${b(imbalance.withBg)}) or out (${b(imbalance.noBg)}), while cross-entropy (BCE’s multi-class form) reaches ${b(imbalance.ce)} and class-weighted cross-entropy ${b(imbalance.weighted)}. For rare objects, start with a pixel loss.`,
    ],
    lookFor: 'Watch the IoU chart: both −log mIoU lines stay at 0 while the two cross-entropies climb.',
    figure: {
      kind: 'race',
      config: {
        ...COLLAPSED,
        data: { classes: 3, size: 32, foreground: 0.02, empty: 0.8 },
        optimizer: { name: 'adam', lr: 0.01, clipNorm: 1 },
        losses: [
          IMBALANCED_LOG_MIOU,
          { ...IMBALANCED_LOG_MIOU, includeBackground: false },
          { id: pixelLoss('multiclass') },
          { id: pixelLoss('multiclass'), weights: [1, 20, 20] },
        ],
      },
    },
    claims: [
      { ...imbalance.starts, measure: (r) => r[0].loss[0] / r[1].loss[0] },
      { ...imbalance.withBg, measure: (r) => valIoUAt(r[0], 300) },
      { ...imbalance.noBg, measure: (r) => valIoUAt(r[1], 300) },
      { ...imbalance.ce, measure: (r) => valIoUAt(r[2], 300) },
      { ...imbalance.weighted, measure: (r) => valIoUAt(r[3], 300) },
    ],
  },
  {
    slug: 'surrogates',
    title: 'Better surrogates, and the library defaults',
    text: [
      'Berman’s Lovász hinge is built to be the convex extension of IoU: it sorts the pixels by how wrong they are and weights their hinge errors by how much each would change the IoU. Its errors are in the logits, so a collapsed start does not silence it.',
      `From the collapsed start, Lovász hinge reaches ${b(surrogates.lovasz)} and smp’s focal loss ${b(surrogates.focal)} after 300 steps, while the Dice losses with smp’s defaults (“Tversky” in the legend: smp ≥ 0.4 computes Dice as Tversky with α = β = 0.5) and MONAI’s (“1 − Dice”, per image) stay on the plateau (${b(surrogates.smp)} and ${b(surrogates.monai)}): a library default is a 1 − score loss like any other.`,
    ],
    lookFor: 'Two lines stay flat: Tversky and 1 − Dice, the two library Dice losses. The loss zoo tab shows what each default computes.',
    figure: {
      kind: 'race',
      config: {
        ...COLLAPSED,
        losses: [
          { id: lovaszHinge.id, aggregation: 'perImage' },
          preset('smp.FocalLoss(binary)'),
          preset('smp.DiceLoss(binary)'),
          preset('monai.DiceLoss(sigmoid=True)'),
          PIXEL,
        ],
      },
    },
    claims: [
      { ...surrogates.lovasz, measure: (r) => valIoUAt(r[0], 300) },
      { ...surrogates.focal, measure: (r) => valIoUAt(r[1], 300) },
      { ...surrogates.smp, measure: (r) => valIoUAt(r[2], 300) },
      { ...surrogates.monai, measure: (r) => valIoUAt(r[3], 300) },
    ],
  },
  {
    slug: 'what-to-use',
    title: 'What to use',
    text: [
      'We report IoU, and we can train on it, as long as its gradient can reach the optimum. The chapters add up to a short list.',
      `The race puts the usual answer, BCE plus −log IoU, against 1 − IoU from the collapsed start: the combination reaches ${b(summary.combo)} after 300 steps while 1 − IoU stays ${b(summary.flat)}. The pixel loss keeps the gradient alive at any confidence; the IoU term aims at the metric you report.`,
    ],
    lookFor: 'The combination rises with BCE’s speed; follow a row of the table back to its chapter.',
    figure: { kind: 'race', config: { ...COLLAPSED, losses: [FLAT, suggestedCombo('binary')] } },
    claims: [
      { ...summary.combo, measure: (r) => valIoUAt(r[1], 300) },
      { ...summary.flat, measure: (r) => valIoUAt(r[0], 300) },
    ],
    advice: [
      { advice: 'Never judge a loss by the metric alone: the metric has no gradient.', chapter: 'no-slope' },
      { advice: 'From a confident or collapsed start, prefer −log IoU or a pixel loss to 1 − IoU.', chapter: 'collapse' },
      { advice: 'With −log IoU, clip the gradient or warm the learning rate up.', chapter: 'log-cost' },
      { advice: 'Adam hides a vanishing gradient; check it with SGD before you trust a loss.', chapter: 'adam' },
      { advice: 'Average per image when object sizes vary; sum over the batch when many images are empty.', chapter: 'aggregation' },
      { advice: 'Score the data set or per class; do not let smoothed empty images into the mean.', chapter: 'empty-images' },
      { advice: 'For rare objects, start from (weighted) cross-entropy.', chapter: 'imbalance' },
      { advice: 'Lovász hinge optimises IoU directly and survives a collapsed start.', chapter: 'surrogates' },
      { advice: 'A safe default: BCE (or cross-entropy) plus −log IoU.', chapter: 'what-to-use' },
    ],
  },
];

/** A chapter by its slug or its 1-based number (as `ch=` writes it). */
export function findChapter(ref: string): Chapter | undefined {
  const n = /^\d+$/.test(ref) ? Number(ref) : NaN;
  return Number.isInteger(n) ? CHAPTERS[n - 1] : CHAPTERS.find((c) => c.slug === ref);
}

/** The page's opening race: the collapse chapter's start. */
export const OPENING_SCENARIO = CHAPTERS.find((c) => c.slug === 'collapse')!.figure as RaceFigure;

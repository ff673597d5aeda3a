// The guided tour: the answers of the question "why don't we train on IoU?", one idea per chapter, each with a
// live figure and the claims its text makes. Every race claim is trained from the figure's own config, so the
// figure shows what the claim measured; the text prints the claims' measured values (`shown`, checked against their
// bounds and the measure by `npm run tour:verify`), never a number of its own.
import { aggregationCurve, cancellationExample } from '../analytic/aggregation';
import { aggregationDemo, allBackgroundScores } from '../analytic/demos';
import { compileLosses, lossSurfaces, readouts, type ToySettings } from '../analytic/surface';
import { toyHardIoU } from '../analytic/toyLosses';
import { parseExperimentConfig, type ExperimentInput } from '../config/experimentConfig';
import { foregroundShare, generateDataset } from '../data/synthetic';
import { CONDITIONED_LOSS, FLAT_LOSS, pixelLoss, suggestedCombo } from '../losses/lesson';
import type { LossInput } from '../losses/lossDefinition';
import { lovaszHinge } from '../losses/lovasz';
import { findPreset } from '../losses/presets';
import { resolveLoss } from '../losses/registry';
import { parameterCountOf } from '../model/layerPlan';
import { ADAM_EPSILON } from '../train/adamEpsilon';
import { claimText, maxOver, meanOfLast, spread, valIoUAt, type Claim, type RaceClaim } from './claim';
import type { LandscapeSettings } from '../landscape/landscapeSettings';
import type { RunHistory } from '../train/history';
import { flatRun, readPlateauFigure } from './figureFiles';
import plateauJson from './figures/plateau.json' with { type: 'json' };

/** Parts of the analytic view a chapter can show. */
export const ANALYTIC_PARTS = [
  'toy',
  'readout',
  'curves',
  'surfaces',
  'aggregationCurve',
  'cancellation',
  'aggregation',
  'emptyScores',
  'empty',
] as const;
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
  /** What happens when the reader keeps training past `config.steps`, where the race stops by itself. */
  after?: KeepTraining;
  /** Shows "In your code" for each of the race's losses (app/code/RaceCode.tsx): the code to take home. */
  code?: true;
}

/**
 * The sentence a race chapter shows once the reader keeps training past its measured step. Its numbers are claims
 * measured on the same race trained on to `steps`, which `npm run tour:verify` checks like the chapter's own.
 */
export interface KeepTraining {
  steps: number;
  text: string;
  claims: RaceClaim[];
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
  bce: { id: 'bce-tells-apart', kind: 'analytic', says: 'BCE at p_fg 0.51 divided by BCE at 0.99', above: 2, shown: 2.4 },
  same: { id: 'hard-iou-same', kind: 'analytic', says: '|hard IoU at p_fg 0.51 − at 0.99|', below: 1e-12, inWords: true },
} as const;

const soft = {
  regions: {
    id: 'hard-regions',
    kind: 'analytic',
    says: 'how many different values the hard IoU map takes',
    above: 2.5,
    below: 3.5,
    inWords: true,
  },
  slope: {
    id: 'soft-has-slope',
    kind: 'analytic',
    says: '|∂(1 − IoU)/∂z| on a foreground pixel at p_fg 0.9',
    above: 1e-3,
    shown: 0.006,
    tolerance: 0.0005,
  },
  agrees: { id: 'soft-meets-hard', kind: 'analytic', says: '|soft − hard IoU| at p_fg 0.9999, p_bg 0.0001', below: 0.01, shown: 0.001 },
} as const;

const collapse = {
  flat: { id: 'flat-stays', kind: 'race', says: '1 − IoU’s validation IoU after 300 steps', below: 0.05, shown: 0, tolerance: 0.005 },
  log: { id: 'log-learns', kind: 'race', says: '−log IoU’s validation IoU after 300 steps', above: 0.7, shown: 0.91 },
  bce: { id: 'bce-learns', kind: 'race', says: 'BCE’s validation IoU after 300 steps', above: 0.7, shown: 0.9, decimals: 2 },
  ratio: { id: 'gradient-ratio', kind: 'race', says: '−log IoU’s logit gradient over 1 − IoU’s at step 0', above: 1000, shown: 10500 },
  // Measured on the plateau figure's file, which tour:verify recomputes (a stale file fails it): `npm run plateau`.
  plateau: {
    id: 'plateau-slope',
    kind: 'analytic',
    says: 'the log–log slope of 1 − IoU’s plateau length (steps to validation IoU 0.5) against the prior p, p ≤ 10⁻³',
    above: -1.1,
    below: -0.8,
    shown: -0.89,
  },
} as const;

const landscape = {
  flat: {
    id: 'flat-slice',
    kind: 'landscape',
    says: 'how much 1 − IoU changes across its slice after 200 steps',
    below: 0.1,
    shown: 0.05,
    tolerance: 0.005,
  },
  flatBest: { id: 'flat-best', kind: 'landscape', says: 'the best hard IoU anywhere on 1 − IoU’s slice', below: 0.05, shown: 0.01 },
  logBest: { id: 'log-best', kind: 'landscape', says: 'the best hard IoU on −log IoU’s slice', above: 0.7, shown: 0.92 },
  bceBest: { id: 'bce-best', kind: 'landscape', says: 'the best hard IoU on BCE’s slice', above: 0.7, shown: 0.9, decimals: 2 },
} as const;

const logCost = {
  overshoot: {
    id: 'overshoot',
    kind: 'race',
    says: 'the largest share of pixels −log IoU calls foreground in its first 10 steps',
    above: 0.999,
    inWords: true,
  },
  dead: {
    id: 'saturated',
    kind: 'race',
    says: '−log IoU’s largest gradient norm from step 10 to 100, unclipped',
    below: 1e-12,
    inWords: true,
  },
  stuck: {
    id: 'stuck',
    kind: 'race',
    says: '−log IoU’s validation IoU after 100 steps, unclipped',
    below: 0.1,
    shown: 0.059,
    tolerance: 0.001,
  },
  share: {
    id: 'all-object-iou',
    kind: 'race',
    says: 'the validation IoU of calling every pixel object (−log IoU’s after 10 steps)',
    below: 0.1,
    shown: 0.059,
    tolerance: 0.001,
  },
  bce: { id: 'bce-fine', kind: 'race', says: 'BCE’s validation IoU after 100 steps, unclipped', above: 0.7, shown: 0.9, decimals: 2 },
} as const;

const adam = {
  all: { id: 'all-learn', kind: 'race', says: 'the lowest validation IoU of the three after 200 steps', above: 0.8, shown: 0.88 },
  floor: {
    id: 'above-epsilon',
    kind: 'race',
    says: '1 − IoU’s gradient per weight at step 0 (root mean square) over Adam’s ε',
    above: 100,
    shown: 1400,
  },
} as const;

const AGG_TABLE: AnalyticFigure = {
  kind: 'analytic',
  parts: ['aggregationCurve', 'cancellation', 'aggregation'],
  toy: { pFg: 0.3, pBg: 0.05 },
  losses: [CONDITIONED],
};
const aggregation = {
  pull: {
    id: 'small-pulls-harder',
    kind: 'analytic',
    says: 'per image, a small image’s foreground pixel gets this many times its gradient under Σ I / Σ U',
    above: 2,
    shown: 12.5,
  },
  same: {
    id: 'same-result',
    kind: 'race',
    says: 'the gap between the two runs’ validation IoU after 300 steps',
    below: 0.05,
    shown: 0.003,
    tolerance: 0.002,
  },
  learn: { id: 'both-learn', kind: 'race', says: 'the lower of the two validation IoUs after 300 steps', above: 0.8, shown: 0.88 },
  perImageSpan: {
    id: 'per-image-span',
    kind: 'analytic',
    says: 'per image, |∂L/∂z| on an object pixel of a 1-pixel object over that of a 100-pixel one',
    above: 10,
    shown: 100,
  },
  batchSpan: {
    id: 'batch-span',
    kind: 'analytic',
    says: 'under Σ I / Σ U, |∂L/∂z| on an object pixel of a 1-pixel object over that of a 100-pixel one',
    below: 3,
    shown: 1.8,
  },
  pooled: {
    id: 'pooled-looks-fine',
    kind: 'analytic',
    says: 'Σ I / Σ U of one large object found and one small one missed',
    above: 0.9,
    shown: 0.96,
  },
  mean: { id: 'mean-sees-miss', kind: 'analytic', says: 'the mean of their per-image IoUs', below: 0.6, shown: 0.5 },
} as const;
/** |∂L/∂z| on an object pixel against its object's area, per image and over the batch: the chapter's plot. */
const aggCurve = () => aggregationCurve(resolveLoss(AGG_TABLE.losses[0]), AGG_TABLE.toy.pFg!, AGG_TABLE.toy.pBg!);

const empty = {
  miou: {
    id: 'all-background-miou',
    kind: 'analytic',
    says: 'per-image mIoU of an all-background model, 9 of 10 images empty',
    above: 0.92,
    shown: 0.945,
  },
  iou: {
    id: 'all-background-iou',
    kind: 'analytic',
    says: 'per-image IoU of the same model, empty images scored 1',
    above: 0.89,
    shown: 0.9,
    decimals: 2,
  },
  truth: {
    id: 'dataset-iou',
    kind: 'analytic',
    says: 'its foreground IoU over the whole data set',
    below: 0.01,
    shown: 0,
    tolerance: 0.005,
  },
} as const;

const IMBALANCED_LOG_MIOU = { id: CONDITIONED_LOSS, aggregation: 'perImage', smooth: 1, empty: 'keep' };
/** Three classes, objects on 2 % of an image, 80 % empty images, Adam: the reader's imbalanced task. */
const IMBALANCED: ExperimentInput & { steps: number } = {
  ...COLLAPSED,
  data: { classes: 3, size: 32, foreground: 0.02, empty: 0.8 },
  optimizer: { name: 'adam', lr: 0.01, clipNorm: 1 },
  losses: [
    IMBALANCED_LOG_MIOU,
    { ...IMBALANCED_LOG_MIOU, includeBackground: false },
    { id: pixelLoss('multiclass') },
    { id: pixelLoss('multiclass'), weights: [1, 20, 20] },
  ],
};
const imbalance = {
  emptyBatch: {
    id: 'empty-batch-zero',
    kind: 'race',
    says: 'the smallest loss of −log mIoU (background in) over the 300 steps',
    below: 1e-3,
    inWords: true,
  },
  gradStart: {
    id: 'grad-start',
    kind: 'race',
    says: '−log mIoU’s (background in) gradient norm at step 0',
    above: 0.01,
    shown: 0.1,
    decimals: 2,
  },
  gradGone: {
    id: 'grad-gone',
    kind: 'race',
    says: '−log mIoU’s (background in) gradient norm at step 30',
    below: 1e-3,
    shown: 0.00005,
    tolerance: 0.00001,
  },
  withBg: {
    id: 'miou-misses',
    kind: 'race',
    says: '−log mIoU’s (background in) validation IoU after 300 steps',
    below: 0.05,
    shown: 0,
    tolerance: 0.005,
  },
  noBg: {
    id: 'no-bg-misses',
    kind: 'race',
    says: '−log mIoU’s (background out) validation IoU after 300 steps',
    below: 0.05,
    shown: 0,
    tolerance: 0.005,
  },
  ce: { id: 'ce-finds', kind: 'race', says: 'cross-entropy’s validation IoU after 300 steps', above: 0.2, shown: 0.31 },
  weighted: {
    id: 'weighted-ce-finds',
    kind: 'race',
    says: 'weighted cross-entropy’s validation IoU after 300 steps',
    above: 0.15,
    shown: 0.27,
  },
  ceCalls: {
    id: 'ce-under-calls',
    kind: 'race',
    says: 'pixels cross-entropy calls object over its last 100 steps, over the training set’s object pixels',
    below: 1,
    shown: 0.6,
    decimals: 2,
  },
  weightedCalls: {
    id: 'weighted-over-calls',
    kind: 'race',
    says: 'pixels weighted cross-entropy calls object over its last 100 steps, over the training set’s object pixels',
    above: 1,
    shown: 1.8,
  },
} as const;

const surrogates = {
  lovasz: { id: 'lovasz-learns', kind: 'race', says: 'Lovász hinge’s validation IoU after 300 steps', above: 0.8, shown: 0.89 },
  smp: { id: 'smp-dice-flat', kind: 'race', says: 'smp DiceLoss’s validation IoU after 300 steps', below: 0.05, inWords: true },
  monai: { id: 'monai-dice-flat', kind: 'race', says: 'MONAI DiceLoss’s validation IoU after 300 steps', below: 0.05, inWords: true },
  focal: { id: 'focal-learns', kind: 'race', says: 'focal loss’s validation IoU after 300 steps', above: 0.8, shown: 0.9, decimals: 2 },
} as const;

const summary = {
  combo: { id: 'combo-learns', kind: 'race', says: 'BCE + −log IoU’s validation IoU after 300 steps', above: 0.8, shown: 0.92 },
  bce: { id: 'bce-learns', kind: 'race', says: 'BCE’s validation IoU after 300 steps', above: 0.8, shown: 0.9, decimals: 2 },
  flat: { id: 'flat-stays', kind: 'race', says: '1 − IoU’s validation IoU after 300 steps', below: 0.05, inWords: true },
} as const;

/** Small objects: thin bars on 1 % of an image, half the images empty, from p = 0.01 rather than a collapse. */
const SMALL_OBJECTS: ExperimentInput & { steps: number } = {
  ...COLLAPSED,
  steps: 1000,
  data: { shape: 'bars', classes: 2, size: 32, foreground: 0.01, empty: 0.5 },
  model: { width: 8, outputPrior: 0.01 },
  losses: [PIXEL, suggestedCombo('binary')],
};
const small = {
  combo: { id: 'combo-wins', kind: 'race', says: 'BCE + −log IoU’s validation IoU after 1000 steps', above: 0.6, shown: 0.71 },
  bce: { id: 'bce-behind', kind: 'race', says: 'BCE’s validation IoU after 1000 steps', above: 0.3, shown: 0.66 },
  gap: {
    id: 'combo-minus-bce',
    kind: 'race',
    says: 'BCE + −log IoU’s validation IoU minus BCE’s after 1000 steps',
    above: 0.05,
    inWords: true,
  },
  holds: {
    id: 'gap-holds',
    kind: 'race',
    says: 'the smallest gap (BCE + −log IoU minus BCE) at the evaluations from step 600 to 1000',
    above: 0,
    inWords: true,
  },
  bceCalls: {
    id: 'bce-under-calls',
    kind: 'race',
    says: 'pixels BCE calls object over its last 100 steps, over the training set’s object pixels',
    below: 0.95,
    shown: 0.79,
  },
  comboCalls: {
    id: 'combo-calls',
    kind: 'race',
    says: 'pixels BCE + −log IoU calls object over its last 100 steps, over the training set’s object pixels',
    above: 0.85,
    shown: 0.9,
    decimals: 2,
  },
} as const;

/** The share of object pixels in a race's training set, drawn as the race draws it. */
function trainForeground(input: ExperimentInput): number {
  const config = parseExperimentConfig(input);
  return foregroundShare(generateDataset(config.data, config.seed).train);
}

/** Pixels a run called object over its last 100 steps, as a multiple of the object pixels there are. */
const calledOverTrue = (h: RunHistory, input: ExperimentInput) => meanOfLast(h.fgFraction, 100) / trainForeground(input);

/** A run's gradient per weight at step 0, root mean square, in units of Adam's ε. */
const rmsOverEpsilon = (h: RunHistory, input: ExperimentInput) =>
  h.gradNorm[0] / Math.sqrt(parameterCountOf(parseExperimentConfig(input).model, 1)) / ADAM_EPSILON;

/** The last evaluation at which a run's validation IoU was still at or below `iou`, before it first passed it. */
const lastBelow = (h: RunHistory, iou: number): number => {
  const i = h.val.iou.findIndex((v) => v > iou);
  return i > 0 ? h.val.step[i - 1] : NaN;
};

// What each race does past its measured step, measured on the same race trained on (`after`).
const delay = {
  leaves: {
    id: 'flat-leaves',
    kind: 'race',
    says: 'the last evaluation before 1 − IoU’s validation IoU passes 0.5',
    above: 300,
    shown: 700,
  },
  reaches: { id: 'flat-reaches', kind: 'race', says: '1 − IoU’s validation IoU after 800 steps', above: 0.8, shown: 0.91 },
  level: {
    id: 'flat-level',
    kind: 'race',
    says: 'the largest gap between 1 − IoU’s validation IoU and another run’s after 800 steps',
    below: 0.03,
    inWords: true,
  },
} as const;
/** The collapsed race past its step: 1 − IoU leaves its plateau (chapters 3, 4, 11 and the first page). */
const PLATEAU_ENDS: KeepTraining = {
  steps: 800,
  text: `1 − IoU leaves its plateau just after step ${claimText(delay.leaves)} and by step 800 reaches validation IoU ${claimText(delay.reaches)}, level with the others: a plateau is a delay, not a wall.`,
  claims: [
    { ...delay.leaves, measure: (r) => lastBelow(r[0], 0.5) },
    { ...delay.reaches, measure: (r) => valIoUAt(r[0], 800) },
    { ...delay.level, measure: (r) => Math.max(...r.slice(1).map((h) => Math.abs(valIoUAt(h, 800) - valIoUAt(r[0], 800)))) },
  ],
};

const wall = {
  dead: {
    id: 'log-stays-dead',
    kind: 'race',
    says: '−log IoU’s largest gradient norm from step 10 to 800, unclipped',
    below: 1e-12,
    inWords: true,
  },
  stuck: {
    id: 'log-stays-stuck',
    kind: 'race',
    says: '−log IoU’s validation IoU after 800 steps, unclipped',
    below: 0.1,
    shown: 0.059,
    tolerance: 0.001,
  },
  flat: {
    id: 'flat-leaves-unclipped',
    kind: 'race',
    says: 'the last evaluation before 1 − IoU’s validation IoU passes 0.5, unclipped',
    above: 100,
    shown: 700,
  },
} as const;

const rescued = {
  low: { id: 'all-stay', kind: 'race', says: 'the lowest validation IoU of the three after 500 steps', above: 0.85, shown: 0.91 },
  high: { id: 'all-level', kind: 'race', says: 'the highest validation IoU of the three after 500 steps', below: 0.99, shown: 0.92 },
} as const;

const level = {
  low: { id: 'both-stay', kind: 'race', says: 'the lower of the two validation IoUs after 600 steps', above: 0.8, shown: 0.89 },
  high: { id: 'both-level', kind: 'race', says: 'the higher of the two validation IoUs after 600 steps', below: 0.95, shown: 0.89 },
} as const;

const noEnd = {
  miou: {
    id: 'miou-stays',
    kind: 'race',
    says: 'the higher of the two −log mIoU runs’ validation IoU after 600 steps',
    below: 0.05,
    shown: 0,
    tolerance: 0.005,
  },
  ce: { id: 'ce-climbs', kind: 'race', says: 'cross-entropy’s validation IoU after 600 steps', above: 0.3, shown: 0.44 },
  weighted: {
    id: 'weighted-ce-climbs',
    kind: 'race',
    says: 'weighted cross-entropy’s validation IoU after 600 steps',
    above: 0.3,
    shown: 0.43,
  },
} as const;

/** A run's mean validation IoU over its evaluations from step `from` to step `to`. */
const meanIoU = (h: RunHistory, from: number, to: number): number => {
  const kept = h.val.iou.filter((_, i) => h.val.step[i] >= from && h.val.step[i] <= to);
  return kept.reduce((a, x) => a + x, 0) / kept.length;
};

const closes = {
  bce: {
    id: 'bce-creeps-up',
    kind: 'race',
    says: 'BCE’s mean validation IoU over the evaluations from step 1500 to 2000',
    above: 0.6,
    shown: 0.7,
    decimals: 2,
  },
  combo: {
    id: 'combo-stays-ahead',
    kind: 'race',
    says: 'BCE + −log IoU’s mean validation IoU over the evaluations from step 1500 to 2000',
    above: 0.6,
    shown: 0.73,
  },
} as const;

const diceDelay = {
  leaves: {
    id: 'dice-leave',
    kind: 'race',
    says: 'the last evaluation before the later of the two DiceLosses passes validation IoU 0.5',
    above: 300,
    shown: 350,
  },
  reach: {
    id: 'dice-reach',
    kind: 'race',
    says: 'the lower of the two DiceLosses’ validation IoU after 500 steps',
    above: 0.8,
    shown: 0.91,
  },
} as const;

const b = claimText;

export const CHAPTERS: readonly Chapter[] = [
  {
    slug: 'no-slope',
    title: 'The metric has no slope',
    text: [
      'For classification we train on log loss and report accuracy. Accuracy counts right answers after a threshold, so a small change of the weights almost never changes it: it has no slope to follow. Log loss is a surrogate, a smooth loss that gets lower as the predictions get better. IoU is the same situation.',
      `IoU counts pixels after a threshold: a pixel is object when p > 0.5. Nudge a weight and almost no pixel crosses 0.5, so the score does not move; where one does cross, it jumps. Here every object pixel predicts p_fg: at 0.51 and at 0.99 the hard IoU is exactly the same, while cross-entropy at 0.51 is ${b(noSlope.bce)} times its value at 0.99. Cross-entropy knows the second network is surer; IoU cannot tell them apart, so it cannot say which way to move.`,
    ],
    lookFor: 'Drag p_fg between 0.51 and 0.99: the hard IoU row stays put while BCE falls.',
    figure: { kind: 'analytic', parts: ['curves', 'readout', 'toy'], toy: TOY, losses: [PIXEL, FLAT, CONDITIONED] },
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
      'Replace the counts by probabilities: the intersection becomes I ≈ Σ y·p and the union U ≈ Σ (y + p − y·p); 1 − I/U is a smooth function of every logit z, the network’s raw output before the sigmoid p = σ(z).',
      `The maps show each loss over the foreground logit (across) and background logit (up). The hard IoU map has three flat regions: 1 where only the object is called object, the object’s share where everything is, 0 where it is missed. 1 − IoU slopes between them: at p_fg = 0.9 its gradient on an object pixel is ${b(soft.slope)}. Near the corner where every p is near 0 it flattens: the next chapter’s plateau. Where the predictions are sure, the soft and the hard IoU agree (they differ by ${b(soft.agrees)} at p_fg = 0.9999, p_bg = 0.0001), so the soft IoU is a surrogate for it.`,
    ],
    lookFor: 'Compare the 1 − IoU map with the hard IoU map: one slopes, the other steps.',
    figure: { kind: 'analytic', parts: ['surfaces', 'toy'], toy: { ...TOY, pFg: 0.9 }, losses: [FLAT, CONDITIONED] },
    claims: [
      { ...soft.regions, measure: () => new Set(lossSurfaces({ ...TOY, pFg: 0.9 }, []).hardSurface).size },
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
      `Every loss reaches a logit through the sigmoid, whose slope is p(1 − p): near p = 0 or 1 it vanishes. That is saturation. Cross-entropy’s log cancels the factor, and so does −log IoU’s 1/IoU, because the IoU is itself about p. 1 − IoU has nothing to cancel it: its gradient starts ${b(collapse.ratio)} times smaller than −log IoU’s. After 300 steps 1 − IoU is still on its plateau (validation IoU ${b(collapse.flat)}), while −log IoU (${b(collapse.log)}) and BCE (${b(collapse.bce)}) have found the disks.`,
      `The plateau is a delay, not a wall. The plateau chart starts the race from smaller p: its length grows about like 1/p (slope ${b(collapse.plateau)} on log–log axes).`,
    ],
    lookFor: 'Press Play: 1 − IoU’s line stays flat in every chart while the other two fall and rise.',
    figure: { kind: 'race', config: COLLAPSED, charts: { grad: 'logit' }, plateau: true, after: PLATEAU_ENDS },
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
      'The maps draw each run’s loss around the weights it has trained to: a slice through weight space along two random directions, each scaled filter by filter to the size of the weights’ own filters (Li et al. 2018), beside the hard IoU over the same slice.',
      `After 200 steps of the collapsed race, 1 − IoU’s slice is a plateau: across it the loss changes by ${b(landscape.flat)}, and the best hard IoU anywhere on it is ${b(landscape.flatBest)}. The slices of −log IoU and BCE, as wide around their own weights, reach hard IoU ${b(landscape.logBest)} and ${b(landscape.bceBest)}: they have climbed the cliff in the metric’s map that 1 − IoU cannot see.`,
    ],
    lookFor: '1 − IoU’s loss map is one colour and its IoU map dark; the IoU maps of −log IoU and BCE are bright around their weights.',
    figure: { kind: 'race', config: { ...COLLAPSED, steps: 200 }, landscape: { grid: 11, dirs: 'random', seed: 1 }, after: PLATEAU_ENDS },
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
      '−log IoU has the same optimum as 1 − IoU, but its gradient is divided by the IoU. Near a collapsed start the IoU is tiny, so the push is huge: that is what rescued it two chapters ago.',
      `Without gradient clipping the push is too strong. Within 10 steps −log IoU calls every pixel object: the mirror image of the collapse. Every p is near 1, the sigmoid saturates again, and now 1/IoU cannot cancel it, because the IoU is not small: it is the objects’ share of the pixels, ${b(logCost.share)}. From step 10 its gradient is exactly zero, and after 100 steps its validation IoU is still ${b(logCost.stuck)}. BCE, whose log cancels the factor at both ends, reaches ${b(logCost.bce)}. The log buys a gradient at the start and pays with a step size to watch.`,
    ],
    lookFor: 'Step a few times: −log IoU’s predictions turn yellow everywhere and its IoU line stays low.',
    figure: {
      kind: 'race',
      config: { ...COLLAPSED, steps: 100, evalEvery: 10, optimizer: { ...SGD_CLIPPED, clipNorm: null } },
      after: {
        steps: 800,
        text: `−log IoU does not come back: its gradient stays exactly zero, and at step 800 its validation IoU is still ${claimText(wall.stuck)}. Saturation at p ≈ 1 is a wall, not a delay. 1 − IoU, whose tiny gradient clipping never touched, leaves its plateau just after step ${claimText(wall.flat)}, as in the collapse.`,
        claims: [
          { ...wall.dead, measure: (r) => Math.max(...r[1].gradNorm.slice(10, 800)) },
          { ...wall.stuck, measure: (r) => valIoUAt(r[1], 800) },
          { ...wall.flat, measure: (r) => lastBelow(r[0], 0.5) },
        ],
      },
    },
    claims: [
      { ...logCost.overshoot, measure: (r) => maxOver(r[1].fgFraction, 10) },
      { ...logCost.share, measure: (r) => valIoUAt(r[1], 10) },
      { ...logCost.dead, measure: (r) => Math.max(...r[1].gradNorm.slice(10, 100)) },
      { ...logCost.stuck, measure: (r) => valIoUAt(r[1], 100) },
      { ...logCost.bce, measure: (r) => valIoUAt(r[2], 100) },
    ],
  },
  {
    slug: 'adam',
    title: 'Adam hides it',
    text: [
      `Run the same race under Adam. Adam divides each weight’s step by a running root mean square of its gradient, so a gradient thousands of times too small gets about the same step as a healthy one. All three losses learn: after 200 steps the slowest is at validation IoU ${b(adam.all)}. That is why many people never meet the plateau; it is still there in the gradient chart.`,
      `The rescue has a floor, Adam’s ε (10⁻⁸ here, as in PyTorch; Keras and tfjs use 10⁻⁷). A steady gradient g moves a weight by about lr·g/(|g| + ε): the full step while |g| is well above ε, only a g/ε share of it below. 1 − IoU’s gradient per weight starts ${b(adam.floor)} times ε, so Adam rescues it. A gradient below ε stays unrescued, and under SGD nothing rescues any gradient.`,
    ],
    lookFor: 'The gradient chart shows mean |∂L/∂logit|: 1 − IoU’s starts far below the others’, yet its IoU rises with theirs.',
    figure: {
      kind: 'race',
      config: { ...COLLAPSED, steps: 200, optimizer: { name: 'adam', lr: 0.01, clipNorm: 1 } },
      charts: { grad: 'logit' },
      after: {
        steps: 500,
        text: `Nothing changes past step 200: at step 500 the three are level, between ${claimText(rescued.low)} and ${claimText(rescued.high)}. Adam rescued 1 − IoU from the first step; there is no plateau to wait out.`,
        claims: [
          { ...rescued.low, measure: (r) => Math.min(...r.map((h) => valIoUAt(h, 500))) },
          { ...rescued.high, measure: (r) => Math.max(...r.map((h) => valIoUAt(h, 500))) },
        ],
      },
    },
    claims: [
      { ...adam.all, measure: (r) => Math.min(...r.map((h) => valIoUAt(h, 200))) },
      { ...adam.floor, measure: (r) => rmsOverEpsilon(r[0], COLLAPSED) },
    ],
  },
  {
    slug: 'aggregation',
    title: 'Sum before or after dividing',
    text: [
      'A batch holds several images. Σ I / Σ U over the batch makes every pixel count the same; the mean of per-image ratios I/U makes every image count the same, so a small object’s pixel pulls harder.',
      `The plot shows |∂L/∂z| on an object pixel against its object’s area: per image it is ${b(aggregation.perImageSpan)} times larger for a 1-pixel object than for a 100-pixel one, summed first, ${b(aggregation.batchSpan)} times. At the table’s 5 pixels the ratio is ${b(aggregation.pull)}. The sum also hides a miss: one large object found and one small one missed give Σ I / Σ U = ${b(aggregation.pooled)} but a mean of ratios of ${b(aggregation.mean)}.`,
      `The race trains both on disks, squares and bars 1–2 px thick, mixed; they end close (a gap of ${b(aggregation.same)}, both above ${b(aggregation.learn)}). Per image suits objects of varied sizes; the batch ratio is steadier when many images are empty.`,
    ],
    lookFor:
      'The plot: the per-image line climbs as the object shrinks while the batch line hardly moves. Then the two IoU lines of the race.',
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
      after: {
        steps: 600,
        text: `Nothing changes past step 300: at step 600 the two are still level, ${claimText(level.low)} and ${claimText(level.high)}.`,
        claims: [
          { ...level.low, measure: (r) => Math.min(valIoUAt(r[0], 600), valIoUAt(r[1], 600)) },
          { ...level.high, measure: (r) => Math.max(valIoUAt(r[0], 600), valIoUAt(r[1], 600)) },
        ],
      },
    },
    claims: [
      {
        ...aggregation.pull,
        measure: () => {
          const d = aggregationDemo(resolveLoss(AGG_TABLE.losses[0]), AGG_TABLE.toy.pFg!, AGG_TABLE.toy.pBg!);
          return d.perImage.gradFg[0] / d.batch.gradFg[0];
        },
      },
      { ...aggregation.perImageSpan, measure: () => aggCurve().perImage[0] / aggCurve().perImage[99] },
      { ...aggregation.batchSpan, measure: () => aggCurve().batch[0] / aggCurve().batch[99] },
      { ...aggregation.pooled, measure: () => cancellationExample().pooled },
      { ...aggregation.mean, measure: () => cancellationExample().mean },
      { ...aggregation.same, measure: (r) => Math.abs(valIoUAt(r[0], 300) - valIoUAt(r[1], 300)) },
      { ...aggregation.learn, measure: (r) => Math.min(valIoUAt(r[0], 300), valIoUAt(r[1], 300)) },
    ],
  },
  {
    slug: 'empty-images',
    title: 'Empty images and the > 0.92 that means nothing',
    text: [
      'A reader trained on the soft IoU and reported IoU and Dice above 0.92 with predictions that were all zeros. (Dice is D = 2J/(1 + J) for an IoU J: it ranks predictions as the IoU does.) Empty images explain it.',
      `An image with no object has I = U = 0. A smoothing term turns 0/0 into 1, and a per-image mean then averages those ones in. Take 10 images, 9 of them empty, and a model that predicts background everywhere: the per-image mIoU (the IoU averaged over the classes, background included) is ${b(empty.miou)} and the per-image IoU ${b(empty.iou)}, yet the foreground IoU of the whole data set is ${b(empty.truth)}. Score the data set, or per class without the background, and leave empty images out.`,
    ],
    lookFor: `The bars: nine empty images score 1 and the tenth 0, so the mean sits at ${b(empty.iou)} while the data set scores ${b(empty.truth)}. The rules table: keep with smoothing 1 rewards predicting nothing.`,
    // The model that predicts nothing: every pixel at the collapsed start's p = 10⁻⁴.
    figure: { kind: 'analytic', parts: ['emptyScores', 'empty'], toy: { ...TOY, pFg: 1e-4, pBg: 1e-4 }, losses: [FLAT] },
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
      `This race has three classes, objects on 2\u00a0% of an image and 80\u00a0% empty images; −log mIoU is per image, smoothed by 1. An empty image predicted empty scores IoU 1, so on a batch of empty images the loss is nearly 0 (the loss chart shows absolute values). Within 30 steps −log mIoU’s gradient norm falls from ${b(imbalance.gradStart)} to ${b(imbalance.gradGone)}: it predicts nothing, with the background in the mean or out (validation IoU ${b(imbalance.withBg)} and ${b(imbalance.noBg)}). Cross-entropy reaches ${b(imbalance.ce)}.`,
      `Does weighted cross-entropy do what a soft IoU does? No: it is a surrogate for class-balanced accuracy, not overlap. Weighting objects 20 times, it calls ${b(imbalance.weightedCalls)} times as many pixels object as there are (plain cross-entropy ${b(imbalance.ceCalls)} times) and ends lower, at ${b(imbalance.weighted)}.`,
    ],
    lookFor: 'The loss chart: −log mIoU drops to 0 on every batch of empty images. The IoU chart: both −log mIoU lines stay at 0.',
    figure: {
      kind: 'race',
      config: IMBALANCED,
      charts: { lossScale: 'raw' },
      after: {
        steps: 600,
        text: `This plateau does not end: at step 600 both −log mIoU runs are still at validation IoU ${claimText(noEnd.miou)}, while cross-entropy has climbed to ${claimText(noEnd.ce)} and weighted cross-entropy to ${claimText(noEnd.weighted)}.`,
        claims: [
          { ...noEnd.miou, measure: (r) => Math.max(valIoUAt(r[0], 600), valIoUAt(r[1], 600)) },
          { ...noEnd.ce, measure: (r) => valIoUAt(r[2], 600) },
          { ...noEnd.weighted, measure: (r) => valIoUAt(r[3], 600) },
        ],
      },
    },
    claims: [
      { ...imbalance.emptyBatch, measure: (r) => Math.min(...r[0].loss) },
      { ...imbalance.gradStart, measure: (r) => r[0].gradNorm[0] },
      { ...imbalance.gradGone, measure: (r) => r[0].gradNorm[30] },
      { ...imbalance.withBg, measure: (r) => valIoUAt(r[0], 300) },
      { ...imbalance.noBg, measure: (r) => valIoUAt(r[1], 300) },
      { ...imbalance.ce, measure: (r) => valIoUAt(r[2], 300) },
      { ...imbalance.weighted, measure: (r) => valIoUAt(r[3], 300) },
      { ...imbalance.ceCalls, measure: (r) => calledOverTrue(r[2], IMBALANCED) },
      { ...imbalance.weightedCalls, measure: (r) => calledOverTrue(r[3], IMBALANCED) },
    ],
  },
  {
    slug: 'surrogates',
    title: 'Better surrogates, and the library defaults',
    text: [
      'Berman’s Lovász hinge is a convex surrogate of IoU, computed per image. Each pixel has a hinge error, max(0, 1 − s·z) with s = +1 on the object and −1 off it; the loss sorts an image’s errors and weights each by how much it would change that image’s IoU. It does not optimise the IoU itself, but its errors are in the logits, not in p, so saturation cannot silence it.',
      `From the collapsed start, Lovász hinge reaches ${b(surrogates.lovasz)} after 300 steps, and smp’s focal loss (cross-entropy times (1 − p_t)², so pixels already right count less) ${b(surrogates.focal)}. The DiceLoss defaults of smp and MONAI stay on the plateau at 0: both are 1 − Dice, smp’s written as Tversky with α = β = 0.5. A library default is a 1 − score loss like any other.`,
    ],
    lookFor:
      'Two lines stay flat: the two 1 − Dice runs, smp’s and MONAI’s DiceLoss defaults. The loss zoo tab shows what each default computes.',
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
      after: {
        steps: 500,
        text: `Both DiceLoss defaults leave the plateau just after step ${claimText(diceDelay.leaves)} and by step 500 reach ${claimText(diceDelay.reach)}: from a collapsed start they are slow, not broken.`,
        claims: [
          { ...diceDelay.leaves, measure: (r) => Math.max(lastBelow(r[2], 0.5), lastBelow(r[3], 0.5)) },
          { ...diceDelay.reach, measure: (r) => Math.min(valIoUAt(r[2], 500), valIoUAt(r[3], 500)) },
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
      `The race puts the usual answer, BCE plus −log IoU, against BCE alone and 1 − IoU from the collapsed start. After 300 steps the combination reaches ${b(summary.combo)}, BCE ${b(summary.bce)}, and 1 − IoU stays at 0. The pixel loss keeps the gradient alive at any confidence; the IoU term aims at the metric you report. On these large disks the two end close; the next chapter shows where the IoU term pays.`,
    ],
    lookFor: 'The combination rises with BCE’s speed; follow a row of the table back to its chapter.',
    figure: { kind: 'race', config: { ...COLLAPSED, losses: [FLAT, suggestedCombo('binary'), PIXEL] }, after: PLATEAU_ENDS, code: true },
    claims: [
      { ...summary.combo, measure: (r) => valIoUAt(r[1], 300) },
      { ...summary.bce, measure: (r) => valIoUAt(r[2], 300) },
      { ...summary.flat, measure: (r) => valIoUAt(r[0], 300) },
    ],
    advice: [
      { advice: 'Train on a smooth surrogate and report the metric: IoU itself gives no gradient to follow.', chapter: 'no-slope' },
      { advice: 'From a confident or collapsed start, prefer −log IoU or a pixel loss to 1 − IoU.', chapter: 'collapse' },
      { advice: 'With −log IoU, clip the gradient or warm the learning rate up.', chapter: 'log-cost' },
      { advice: 'Adam hides a vanishing gradient; check it with SGD before you trust a loss.', chapter: 'adam' },
      { advice: 'Average per image when object sizes vary; sum over the batch when many images are empty.', chapter: 'aggregation' },
      { advice: 'Score the data set or per class; do not let smoothed empty images into the mean.', chapter: 'empty-images' },
      { advice: 'For rare objects, start from cross-entropy; class weights buy recall with false positives.', chapter: 'imbalance' },
      {
        advice:
          'Lovász hinge, a convex surrogate of IoU per image, survives a collapsed start; check what a library’s Dice default computes.',
        chapter: 'surrogates',
      },
      { advice: 'A safe default: BCE (or cross-entropy) plus −log IoU.', chapter: 'what-to-use' },
      { advice: 'On small or thin objects, keep the IoU term: BCE alone under-calls them and takes far longer.', chapter: 'small-objects' },
    ],
  },
  {
    slug: 'small-objects',
    title: 'Small objects: where the IoU term pays',
    text: [
      'On the large disks of the last chapter, BCE alone ends close to BCE plus −log IoU. Small objects are where they part. This race draws bars 1–2 px thick on 1\u00a0% of an image, leaves half the images empty, and starts from p = 0.01: rare objects, but no collapse.',
      `BCE averages over pixels, and nearly all of them are background, so at an uncertain edge calling background costs it less: it calls ${b(small.bceCalls)} times as many pixels object as there are, the combination ${b(small.comboCalls)} times. The IoU term scores each object as a whole, however few its pixels. After 1000 steps BCE plus −log IoU reaches ${b(small.combo)} and BCE alone ${b(small.bce)}, and the combination is ahead at every evaluation of the last 400 steps.`,
    ],
    lookFor: 'The IoU chart: the combination climbs at once; BCE creeps up behind it.',
    figure: {
      kind: 'race',
      config: SMALL_OBJECTS,
      after: {
        steps: 2000,
        text: `Past step 1000 BCE keeps creeping up and the gap narrows: from step 1500 to step 2000 BCE averages validation IoU ${claimText(closes.bce)} and the combination ${claimText(closes.combo)}. The IoU term gets there sooner; BCE alone comes close in the end.`,
        claims: [
          { ...closes.bce, measure: (r) => meanIoU(r[0], 1500, 2000) },
          { ...closes.combo, measure: (r) => meanIoU(r[1], 1500, 2000) },
        ],
      },
    },
    claims: [
      { ...small.combo, measure: (r) => valIoUAt(r[1], 1000) },
      { ...small.bce, measure: (r) => valIoUAt(r[0], 1000) },
      { ...small.gap, measure: (r) => valIoUAt(r[1], 1000) - valIoUAt(r[0], 1000) },
      {
        ...small.holds,
        measure: (r) => Math.min(...r[0].val.step.flatMap((s, i) => (s >= 600 ? [r[1].val.iou[i] - r[0].val.iou[i]] : []))),
      },
      { ...small.bceCalls, measure: (r) => calledOverTrue(r[0], SMALL_OBJECTS) },
      { ...small.comboCalls, measure: (r) => calledOverTrue(r[1], SMALL_OBJECTS) },
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

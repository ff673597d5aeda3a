import type { ExperimentConfig } from '../config/experimentConfig';
import type { LossSpec } from '../losses/lossDefinition';
import type { Race } from './race';

export interface RunResult {
  loss: LossSpec;
  diverged: number | null;
  divergedBecause: string | null;
  history: {
    step: number[];
    loss: number[];
    gradNorm: number[];
    logitGradFg: number[];
    logitGradBg: number[];
    trainIoU: number[];
    fgFraction: number[];
    layerNorms: Record<string, number[]>;
  };
  val: { step: number[]; iou: number[]; miou: number[]; miouNoBg: number[]; dice: number[] };
  /**
   * One step record in `everyNthStep` and one evaluation in `everyNthEval` is in the series, and always the latest:
   * 1 and 1 from the CLI; a long race exported from the page keeps a bounded, thinned history (RunHistory).
   */
  kept: { everyNthStep: number; everyNthEval: number };
  final: { loss: number | null; gradNorm: number | null; valIoU: number | null };
}

/**
 * The data a race trained on: `source` as the settings name it (data.source); for imported data also the data set's
 * name, its pair count and the SHA-256 of its files, so that two results can be told to be on the same data.
 */
export interface DatasetRecord {
  source: string;
  name?: string;
  pairs?: number;
  hash?: string;
}

export interface ExperimentResults {
  config: ExperimentConfig;
  dataset: DatasetRecord;
  backend: string;
  parameterCount: number;
  steps: number;
  runs: RunResult[];
}

/** Every series of a race, JSON-ready (NaN, e.g. an IoU with nothing to score, becomes null in JSON). */
export function raceResults(race: Race, backend: string): ExperimentResults {
  return {
    config: race.config,
    dataset: { source: race.config.data.source, ...race.dataset.source },
    backend,
    parameterCount: race.parameterCount,
    steps: race.step,
    runs: race.histories.map((h, i) => ({
      loss: race.lossSpecs[i],
      diverged: race.diverged[i],
      divergedBecause: race.divergedBecause[i],
      history: {
        step: h.step,
        loss: h.loss,
        gradNorm: h.gradNorm,
        logitGradFg: h.logitGradFg,
        logitGradBg: h.logitGradBg,
        trainIoU: h.trainIoU,
        fgFraction: h.fgFraction,
        layerNorms: Object.fromEntries(race.layerNames.map((name, l) => [name, h.layerNorms.map((row) => row[l])])),
      },
      val: h.val,
      kept: { everyNthStep: h.stepStride, everyNthEval: h.evalStride },
      final: { loss: h.loss.at(-1) ?? null, gradNorm: h.gradNorm.at(-1) ?? null, valIoU: h.val.iou.at(-1) ?? null },
    })),
  };
}

const cell = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '' : String(x));

/** One row per run and step; the validation columns are filled on evaluation steps. */
export function resultsCsv(results: ExperimentResults): string {
  const lines = ['run,loss_id,step,loss,grad_norm,logit_grad_fg,logit_grad_bg,train_iou,fg_fraction,val_iou,val_miou,val_dice'];
  results.runs.forEach((run, r) => {
    const evalAt = new Map(run.val.step.map((s, i) => [s, i]));
    const rows = new Map<number, string[]>();
    run.history.step.forEach((s, i) => {
      rows.set(s, [
        String(r),
        run.loss.id,
        String(s),
        cell(run.history.loss[i]),
        cell(run.history.gradNorm[i]),
        cell(run.history.logitGradFg[i]),
        cell(run.history.logitGradBg[i]),
        cell(run.history.trainIoU[i]),
        cell(run.history.fgFraction[i]),
      ]);
    });
    for (const s of evalAt.keys()) if (!rows.has(s)) rows.set(s, [String(r), run.loss.id, String(s), '', '', '', '', '', '']);
    for (const s of [...rows.keys()].sort((a, b) => a - b)) {
      const e = evalAt.get(s);
      const v = e === undefined ? ['', '', ''] : [cell(run.val.iou[e]), cell(run.val.miou[e]), cell(run.val.dice[e])];
      lines.push([...rows.get(s)!, ...v].join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}

import * as v from 'valibot';
import { parseExperimentConfig } from '../config/experimentConfig';
import type { ExperimentResults } from './results';

// The results file's shape, for whoever reads one back: `npm run experiment --out` and the page's "results JSON"
// write the same format, and both are checked against this.

/** A series as JSON holds it: NaN (an IoU with nothing to score) is written as null. */
const series = v.array(v.nullable(v.number()));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

const RUN = v.object({
  loss: v.looseObject({ id: v.string() }),
  diverged: v.nullable(count),
  divergedBecause: v.nullable(v.string()),
  history: v.object({
    step: v.array(count),
    loss: series,
    gradNorm: series,
    logitGradFg: series,
    logitGradBg: series,
    trainIoU: series,
    fgFraction: series,
    layerNorms: v.record(v.string(), series),
  }),
  val: v.object({ step: v.array(count), iou: series, miou: series, miouNoBg: series, dice: series }),
  kept: v.object({ everyNthStep: v.pipe(count, v.minValue(1)), everyNthEval: v.pipe(count, v.minValue(1)) }),
  final: v.object({ loss: v.nullable(v.number()), gradNorm: v.nullable(v.number()), valIoU: v.nullable(v.number()) }),
});

const RESULTS = v.object({
  config: v.unknown(),
  // Absent from files written before imported data: those trained on synthetic images.
  dataset: v.optional(
    v.object({
      source: v.string(),
      name: v.optional(v.string()),
      pairs: v.optional(count),
      hash: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
    }),
  ),
  backend: v.string(),
  parameterCount: count,
  steps: count,
  runs: v.array(RUN),
});

/** Checks a parsed results file: its shape, its config, and that every run's columns line up. */
export function readResults(json: unknown): ExperimentResults {
  const parsed = v.safeParse(RESULTS, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`results: ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
  }
  const results = parsed.output;
  const config = parseExperimentConfig(results.config);
  if (results.runs.length !== config.losses.length)
    throw new Error(`results: ${results.runs.length} runs for ${config.losses.length} losses`);
  results.runs.forEach((run, i) => {
    const { step, layerNorms, ...columns } = run.history;
    for (const [name, column] of [...Object.entries(columns), ...Object.entries(layerNorms)]) {
      if (column.length !== step.length)
        throw new Error(`results: runs[${i}].history.${name} has ${column.length} values for ${step.length} steps`);
    }
    const { step: evalSteps, ...evals } = run.val;
    for (const [name, column] of Object.entries(evals)) {
      if (column.length !== evalSteps.length)
        throw new Error(`results: runs[${i}].val.${name} has ${column.length} values for ${evalSteps.length} evaluations`);
    }
  });
  return { ...(results as unknown as ExperimentResults), config, dataset: results.dataset ?? { source: config.data.source } };
}

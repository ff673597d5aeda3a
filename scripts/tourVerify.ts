import { readArgs } from './cliArgs';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { Race } from '../src/train/race';
import { CHAPTERS, type Chapter } from '../src/tour/chapters';
import { judge, outcomeLine, type Claim, type ClaimOutcome } from '../src/tour/claim';
import { parseFields } from '../src/schema/schema';
import { LANDSCAPE_FIELDS } from '../src/landscape/landscapeSettings';
import { raceLandscape, type LandscapeResult } from '../src/landscape/raceLandscape';
import { RunHistory } from '../src/train/history';
import { checkFigures, type FigureCheck } from '../src/tour/figureCheck';

const USAGE = 'usage: npm run tour:verify [-- --chapter SLUG]';

/**
 * Trains a chapter's race to its `steps` (evaluating on the way, as the page does) and returns its histories, and
 * its landscape when the figure names one (as the page computes it, with the view's defaults under the figure's).
 * With `keepTraining`, a figure that says what happens past its step (`after`) trains on to `after.steps`: `after`
 * is the race's histories then, and `histories` stay as they were at `steps`.
 */
export async function trainFigure(
  chapter: Chapter,
  keepTraining = false,
): Promise<{ histories: RunHistory[]; landscape: LandscapeResult | null; after: RunHistory[] | null }> {
  const { figure } = chapter;
  if (figure.kind !== 'race') throw new Error(`${chapter.slug} has no race`);
  const config = parseExperimentConfig(figure.config);
  const race = new Race(config);
  const trainTo = async (steps: number) => {
    while (race.step < steps) await race.advance(Math.min(config.evalEvery, steps - race.step));
  };
  try {
    await trainTo(config.steps);
    const histories = race.histories.map((h) => RunHistory.from(h.state));
    let landscape: LandscapeResult | null = null;
    if (figure.landscape) {
      const weights = await race.runWeights();
      const source = { config, val: race.dataset.val, step: race.step, runs: weights.map((w) => ({ weights: w, checkpoints: [] })) };
      const settings = parseFields(LANDSCAPE_FIELDS, figure.landscape, `${chapter.slug}.landscape`);
      landscape = await raceLandscape(source, settings);
    }
    if (!keepTraining || !figure.after) return { histories, landscape, after: null };
    await trainTo(figure.after.steps);
    return { histories, landscape, after: [...race.histories] };
  } finally {
    race.dispose();
  }
}

/**
 * Checks one chapter's claims; race and landscape claims train the chapter's figure once for all of them. Its
 * precomputed figures (plateau, landscape) must be what the engine computes now.
 */
async function verifyChapter(chapter: Chapter): Promise<{ claims: { line: string; outcome: ClaimOutcome }[]; figures: FigureCheck[] }> {
  const { figure } = chapter;
  const after = figure.kind === 'race' ? (figure.after?.claims ?? []) : [];
  const trains =
    chapter.claims.some((c) => c.kind !== 'analytic') || (figure.kind === 'race' && figure.landscape !== undefined) || after.length > 0;
  const trained = trains ? await trainFigure(chapter, after.length > 0) : null;
  const check = (claim: Claim, measure: () => number) => {
    let value: number;
    try {
      value = measure();
    } catch {
      value = NaN;
    }
    const outcome = judge(claim, value);
    return { line: outcomeLine(chapter.slug, claim, outcome), outcome };
  };
  const claims = [
    ...chapter.claims.map((claim) =>
      check(claim, () =>
        claim.kind === 'race'
          ? claim.measure(trained!.histories)
          : claim.kind === 'landscape'
            ? claim.measureLandscape(trained!.landscape!)
            : claim.measure(),
      ),
    ),
    // What the text says happens when the reader keeps training: measured on the race trained on.
    ...after.map((claim) => check(claim, () => claim.measure(trained!.after!))),
  ];
  return { claims, figures: await checkFigures(chapter, trained?.landscape ?? null) };
}

/** Every claim of the tour, checked headless: races in Node on wasm, analytic claims directly. */
export async function main(argv: string[]): Promise<number> {
  const parsed = readArgs(argv, { chapter: { type: 'string' } });
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const only = parsed.values.chapter;
  const chapters = only ? CHAPTERS.filter((c) => c.slug === only) : CHAPTERS;
  if (!chapters.length) {
    console.error(`--chapter: no chapter '${only}'; chapters: ${CHAPTERS.map((c) => c.slug).join(', ')}\n${USAGE}`);
    return 2;
  }
  await selectBackend({ loaders: nodeLoaders, requested: 'wasm', order: ['wasm'] });
  let held = 0;
  let failed = 0;
  let current = 0;
  let stale = 0;
  for (const chapter of chapters) {
    const { claims, figures } = await verifyChapter(chapter);
    for (const { line, outcome } of claims) {
      console.log(line);
      if (outcome.held) held++;
      else failed++;
    }
    for (const f of figures) {
      console.log(f.stale ? `FAILED ${f.file} is stale (${f.stale}): npm run plateau rewrites it` : `held   ${f.file} is current`);
      if (f.stale) stale++;
      else current++;
    }
  }
  console.log(`${held} claims held, ${failed} failed${current + stale ? `; ${current} figure files current, ${stale} stale` : ''}`);
  return failed || stale ? 1 : 0;
}

import { readArgs } from './cliArgs';
import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { Race } from '../src/train/race';
import { CHAPTERS, type Chapter } from '../src/tour/chapters';
import { judge, outcomeLine, type ClaimOutcome } from '../src/tour/claim';
import { parseFields } from '../src/config/schema';
import { LANDSCAPE_FIELDS } from '../src/landscape/landscapeSettings';
import { raceLandscape, type LandscapeResult } from '../src/landscape/raceLandscape';
import type { RunHistory } from '../src/train/history';

const USAGE = 'usage: npm run tour:verify [-- --chapter SLUG]';

/**
 * Trains a chapter's race to its `steps` (evaluating on the way, as the page does) and returns its histories, and
 * its landscape when the figure names one (as the page computes it, with the view's defaults under the figure's).
 */
async function trainFigure(chapter: Chapter): Promise<{ histories: RunHistory[]; landscape: LandscapeResult | null }> {
  const { figure } = chapter;
  if (figure.kind !== 'race') throw new Error(`${chapter.slug} has no race`);
  const config = parseExperimentConfig(figure.config);
  const race = new Race(config);
  try {
    while (race.step < config.steps) await race.advance(Math.min(config.evalEvery, config.steps - race.step));
    if (!figure.landscape) return { histories: [...race.histories], landscape: null };
    const weights = await race.runWeights();
    const source = { config, val: race.dataset.val, step: race.step, runs: weights.map((w) => ({ weights: w, checkpoints: [] })) };
    const settings = parseFields(LANDSCAPE_FIELDS, figure.landscape, `${chapter.slug}.landscape`);
    return { histories: [...race.histories], landscape: await raceLandscape(source, settings) };
  } finally {
    race.dispose();
  }
}

/** Checks one chapter's claims; race and landscape claims train the chapter's figure once for all of them. */
async function verifyChapter(chapter: Chapter): Promise<{ line: string; outcome: ClaimOutcome }[]> {
  const trained = chapter.claims.some((c) => c.kind !== 'analytic') ? await trainFigure(chapter) : null;
  return chapter.claims.map((claim) => {
    let value: number;
    try {
      value =
        claim.kind === 'race'
          ? claim.measure(trained!.histories)
          : claim.kind === 'landscape'
            ? claim.measureLandscape(trained!.landscape!)
            : claim.measure();
    } catch {
      value = NaN;
    }
    const outcome = judge(claim, value);
    return { line: outcomeLine(chapter.slug, claim, outcome), outcome };
  });
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
  for (const chapter of chapters) {
    for (const { line, outcome } of await verifyChapter(chapter)) {
      console.log(line);
      if (outcome.held) held++;
      else failed++;
    }
  }
  console.log(`${held} claims held, ${failed} failed`);
  return failed ? 1 : 0;
}

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
import { checkFigures, type FigureCheck } from '../src/tour/figureCheck';

const USAGE = 'usage: npm run tour:verify [-- --chapter SLUG]';

/**
 * Trains a chapter's race to its `steps` (evaluating on the way, as the page does) and returns its histories, and
 * its landscape when the figure names one (as the page computes it, with the view's defaults under the figure's).
 */
export async function trainFigure(chapter: Chapter): Promise<{ histories: RunHistory[]; landscape: LandscapeResult | null }> {
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

/**
 * Checks one chapter's claims; race and landscape claims train the chapter's figure once for all of them. Its
 * precomputed figures (plateau, landscape) must be what the engine computes now.
 */
async function verifyChapter(chapter: Chapter): Promise<{ claims: { line: string; outcome: ClaimOutcome }[]; figures: FigureCheck[] }> {
  const { figure } = chapter;
  const trains = chapter.claims.some((c) => c.kind !== 'analytic') || (figure.kind === 'race' && figure.landscape !== undefined);
  const trained = trains ? await trainFigure(chapter) : null;
  const claims = chapter.claims.map((claim) => {
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

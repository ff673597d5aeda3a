import { readArgs } from './cliArgs';
import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { Race } from '../src/train/race';
import { CHAPTERS, type Chapter } from '../src/tour/chapters';
import { judge, outcomeLine, type ClaimOutcome } from '../src/tour/claim';

const USAGE = 'usage: npm run tour:verify [-- --chapter SLUG]';

/** Trains a chapter's race to its `steps` (evaluating on the way, as the page does) and returns its histories. */
async function trainFigure(chapter: Chapter) {
  if (chapter.figure.kind !== 'race') throw new Error(`${chapter.slug} has no race`);
  const config = parseExperimentConfig(chapter.figure.config);
  const race = new Race(config);
  try {
    while (race.step < config.steps) await race.advance(Math.min(config.evalEvery, config.steps - race.step));
    return race.histories;
  } finally {
    race.dispose();
  }
}

/** Checks one chapter's claims; a race claim trains the chapter's figure once for all of them. */
async function verifyChapter(chapter: Chapter): Promise<{ line: string; outcome: ClaimOutcome }[]> {
  const histories = chapter.claims.some((c) => c.kind === 'race') ? await trainFigure(chapter) : null;
  return chapter.claims.map((claim) => {
    let value: number;
    try {
      value = claim.kind === 'race' ? claim.measure(histories!) : claim.measure();
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

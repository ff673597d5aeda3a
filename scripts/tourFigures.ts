import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { readArgs } from './cliArgs';
import { trainFigure } from './tourVerify';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { CHAPTERS, type Chapter, type RaceFigure } from '../src/tour/chapters';
import { freshLandscape, freshPlateau } from '../src/tour/figureCheck';
import { FIGURE_PATHS, readPlateauFigure, type PlateauFigure } from '../src/tour/figureFiles';

const USAGE = 'usage: npm run plateau';

type RaceChapter = Chapter & { figure: RaceFigure };
const raceChapters = CHAPTERS.filter((c): c is RaceChapter => c.figure.kind === 'race');

/** A JSON file as Prettier writes it, so that the lint's Prettier check passes on it. */
async function writeJson(path: string, value: unknown) {
  const options = (await resolveConfig(path)) ?? {};
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await format(JSON.stringify(value), { ...options, filepath: path }));
}

/** What the README quotes: per prior, each loss's steps; then each loss's fitted slope. */
function table(figure: PlateauFigure): string[] {
  const cell = (s: number | null) => (s === null ? `not within ${figure.maxSteps}` : String(s));
  return [
    ['p', ...figure.runs.map((r) => r.loss.id)].join('\t'),
    ...figure.priors.map((p, i) => [p, ...figure.runs.map((r) => cell(r.steps[i]))].join('\t')),
    [`slope (p ≤ ${figure.fitUpTo})`, ...figure.runs.map((r) => (r.fit ? r.fit.slope.toFixed(3) : '–'))].join('\t'),
  ];
}

/**
 * Writes the tour's precomputed figures, on wasm as tour:verify recomputes them: the plateau's length against the
 * output prior (each loss of the chapter that shows it, from each prior until it passes the threshold), and the
 * landscape of each chapter that has one.
 */
export async function main(argv: string[]): Promise<number> {
  const parsed = readArgs(argv, {});
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const shows = raceChapters.filter((c) => c.figure.plateau);
  if (shows.length !== 1) {
    console.error(`one chapter's figure shows the plateau (plateau: true), not ${shows.length}`);
    return 1;
  }
  await selectBackend({ loaders: nodeLoaders, requested: 'wasm', order: ['wasm'] });
  const t0 = performance.now();
  const seconds = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const plateau = await freshPlateau(shows[0].figure, (line) => console.error(`${seconds()}\t${line}`));
  await writeJson(FIGURE_PATHS.plateau, plateau);
  for (const line of table(readPlateauFigure(plateau))) console.log(line);
  console.log(`wrote ${FIGURE_PATHS.plateau} (${seconds()})`);
  const landscapes: Record<string, unknown> = {};
  for (const chapter of raceChapters.filter((c) => c.figure.landscape)) {
    const { landscape } = await trainFigure(chapter);
    landscapes[chapter.slug] = freshLandscape(chapter, landscape!);
  }
  await writeJson(FIGURE_PATHS.landscape, landscapes);
  console.log(`wrote ${FIGURE_PATHS.landscape} (${Object.keys(landscapes).join(', ')}; ${seconds()})`);
  return 0;
}

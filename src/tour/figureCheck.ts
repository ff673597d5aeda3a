// The tour's precomputed figures computed afresh, and compared with the committed files: `npm run plateau` writes
// what `freshPlateau` and `freshLandscape` give, and `npm run tour:verify` fails when a file is no longer that.
import type { LandscapeResult } from '../landscape/raceLandscape';
import type { Chapter, RaceFigure } from './chapters';
import { FIGURE_PATHS, landscapeFigure, landscapeFile, plateauFile, staleness } from './figureFiles';
import { plateauFigure, PLATEAU_SETTINGS } from './plateau';
import committedPlateau from './figures/plateau.json' with { type: 'json' };
import committedLandscapes from './figures/landscape.json' with { type: 'json' };

/** The plateau figure of a chapter's race, as its file holds it; `progress` hears of each run done. */
export async function freshPlateau(figure: RaceFigure, progress?: (line: string) => void): Promise<unknown> {
  return plateauFile(await plateauFigure(figure.config, PLATEAU_SETTINGS, progress));
}

/** A chapter's landscape figure from the landscape its claims were measured on, as its file holds it. */
export const freshLandscape = (chapter: Chapter & { figure: RaceFigure }, landscape: LandscapeResult): unknown =>
  landscapeFile(landscapeFigure(chapter.figure.landscape, chapter.slug, landscape));

export interface FigureCheck {
  /** "src/tour/figures/plateau.json" or, for one chapter's entry, "…/landscape.json: landscape". */
  file: string;
  /** Where the committed file differs from what the engine computes now, or null when it is current. */
  stale: string | null;
}

/**
 * Checks the figures a chapter shows: its plateau figure (recomputed here, about 25 s on wasm) and its landscape
 * (`landscape`: the one its claims were measured on). Steps are compared exactly, landscape values to 10⁻³.
 */
export async function checkFigures(chapter: Chapter, landscape: LandscapeResult | null): Promise<FigureCheck[]> {
  const { figure } = chapter;
  if (figure.kind !== 'race') return [];
  const checks: FigureCheck[] = [];
  if (figure.plateau) checks.push({ file: FIGURE_PATHS.plateau, stale: staleness(committedPlateau, await freshPlateau(figure), 0) });
  if (figure.landscape) {
    const committed = (committedLandscapes as Record<string, unknown>)[chapter.slug];
    checks.push({
      file: `${FIGURE_PATHS.landscape}: ${chapter.slug}`,
      stale:
        committed === undefined
          ? 'no figure for this chapter'
          : landscape === null
            ? 'its landscape was not computed'
            : staleness(committed, freshLandscape({ ...chapter, figure }, landscape)),
    });
  }
  return checks;
}

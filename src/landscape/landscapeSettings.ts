// The landscape's settings, one table: the page's controls and URL (lstep, lgrid, …), the worker's request and
// the CLI's options all read it.
import { MAX_LOSSES } from '../config/experimentConfig';
import type { Field, Infer } from '../schema/schema';

/** The grids a slice refines through on the page before its finest (`grid`). */
export const REFINE_GRIDS = [11, 21];

export const LANDSCAPE_FIELDS = [
  {
    key: 'step',
    url: 'lstep',
    label: 'at step',
    kind: 'nullableNumber',
    min: 0,
    max: 10_000_000,
    default: null,
    offText: 'now',
    help: 'The weights to look around: the race now (off), or its checkpoint at this step (the newest one at or before it).',
  },
  {
    key: 'grid',
    url: 'lgrid',
    label: 'grid',
    kind: 'int',
    min: 3,
    max: 51,
    default: 41,
    help: 'Points along each side of the slice. The page draws 11 × 11 first, then 21 × 21, then this.',
  },
  {
    key: 'dirs',
    url: 'ldirs',
    label: 'directions',
    kind: 'enum',
    options: ['random', 'pca'],
    default: 'random',
    help: 'Two seeded random directions, filter-normalised (Li et al. 2018), or the top two principal directions of the training trajectory.',
  },
  {
    key: 'seed',
    url: 'lseed',
    label: 'direction seed',
    kind: 'int',
    min: 0,
    max: 2_147_483_647,
    default: 1,
    help: 'Seeds the random directions (each run draws its own from it).',
  },
  {
    key: 'images',
    url: 'limages',
    label: 'validation images',
    kind: 'int',
    min: 1,
    max: 512,
    default: 16,
    advanced: true,
    help: 'The first this many validation images are what every point is evaluated on (all of them when the race has fewer). The race’s own validation IoU uses them all.',
  },
  {
    key: 'path',
    url: 'lpath',
    label: 'path points',
    kind: 'int',
    min: 2,
    max: 201,
    default: 41,
    advanced: true,
    help: 'Points on the line from the initial weights through the trained ones, α from −0.5 to 1.5.',
  },
  {
    key: 'runs',
    url: 'lruns',
    label: 'runs',
    kind: 'intList',
    min: 0,
    max: MAX_LOSSES - 1,
    default: undefined,
    help: 'The runs to show, by their place in the race (0 is the first); all when absent.',
  },
] as const satisfies readonly Field[];

export type LandscapeSettings = Infer<typeof LANDSCAPE_FIELDS>;

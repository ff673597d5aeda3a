// The scales the loss maps are read on: which maps share a colour scale, and one log scale for every map's
// arrows, so that a gradient that vanishes in one map is seen to vanish against the others; and how they read,
// in the sentences under the maps and their download.
import type { Surface } from '../../src/analytic/surface';

/** A map's colour scale: the values coloured dark to bright, and whether other maps share it. */
export interface ColourDomain {
  lo: number;
  hi: number;
  shared: boolean;
}

/**
 * Scores and 1 − scores (every value in [0, 1]) share the scale 0 … 1, so that their colours compare; a loss
 * without that bound is coloured on its own range, which its colour bar states.
 */
export function colourDomains(maps: readonly Float64Array[]): ColourDomain[] {
  return maps.map((values) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!Number.isFinite(lo)) return { lo: 0, hi: 1, shared: false };
    return lo >= 0 && hi <= 1 ? { lo: 0, hi: 1, shared: true } : { lo, hi, shared: false };
  });
}

/** Decades of gradient an arrow's length spans; a gradient smaller than that is drawn as a dot. */
export const ARROW_DECADES = 3;
/** Pixels of arrow per decade of gradient, and the length of the shortest arrow. */
const PER_DECADE = 3;
const SHORTEST = 3;

/** One log scale for the arrows of every map: its top is the power of ten nearest the largest gradient. */
export interface ArrowScale {
  top: number;
}

export function arrowScale(fields: readonly Surface['arrows'][]): ArrowScale {
  let largest = 0;
  for (const arrows of fields) for (const a of arrows) largest = Math.max(largest, Math.hypot(a.dFg, a.dBg));
  return { top: largest > 0 ? 10 ** Math.round(Math.log10(largest)) : 1 };
}

/** The smallest gradient drawn as an arrow. */
export const arrowFloor = (scale: ArrowScale) => scale.top * 10 ** -ARROW_DECADES;

/** An arrow's length in pixels for a gradient of this size; null below the floor (a dot: it has vanished). */
export function arrowLength(norm: number, scale: ArrowScale): number | null {
  if (!(norm >= arrowFloor(scale))) return null;
  return SHORTEST + PER_DECADE * Math.min(ARROW_DECADES + 0.5, Math.log10(norm / scale.top) + ARROW_DECADES);
}

/** The key's arrows: one per decade from the top down to the floor. */
export const arrowKey = (scale: ArrowScale): number[] => Array.from({ length: ARROW_DECADES + 1 }, (_, i) => scale.top * 10 ** -i);

const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
/** Which maps share a colour scale, and which are coloured on their own range. */
export function scaleSentence(names: string[], domains: ColourDomain[]): string {
  const shared = names.filter((_, i) => domains[i].shared);
  const own = names.filter((_, i) => !domains[i].shared);
  return [
    shared.length > 1 ? `${listed(shared)} share one colour scale, 0 to 1.` : shared.length ? `${shared[0]} is coloured from 0 to 1.` : '',
    own.length
      ? `${listed(own)} ${own.length > 1 ? 'are each' : 'is'} coloured on ${own.length > 1 ? 'their' : 'its'} own range, on ${own.length > 1 ? 'their' : 'its'} colour bar.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** How to read the maps, under the downloaded figure. */
export const mapsNote = (names: string[], domains: ColourDomain[], scale: ArrowScale) =>
  `z_fg → and z_bg ↑ from p = 0.0001 to 0.9999 (viridis, dark low); the dot is the current prediction.\n${scaleSentence(names, domains)}\n` +
  `Arrows point downhill, their length on one log scale for all maps, a decade per 3 px from ${scale.top} down; a dot is a gradient below ${arrowFloor(scale)}.`;

import { interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

/** Viridis in 256 steps as [r, g, b]: the colour map of every probability map and loss surface. */
export const VIRIDIS: readonly (readonly [number, number, number])[] = Array.from({ length: 256 }, (_, i) => {
  const c = rgb(interpolateViridis(i / 255));
  return [c.r, c.g, c.b] as const;
});

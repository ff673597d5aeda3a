import { useMemo } from 'react';
import { compileLosses, hardCurve, lossCurves, lossSurfaces, readouts as readoutsOf, toyOf } from '../../src/analytic/surface';
import { toyHardIoU } from '../../src/analytic/toyLosses';
import type { ChartSeries } from '../charts/lineChart';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import { arrowScale as arrowScaleOf, colourDomains } from './mapScales';
import type { SurfaceSettings } from './surfaceSettings';

/** The metric is no loss family: it is drawn neutral and dashed beside the losses. */
export const HARD_COLOR = '#7a808c';
export const HARD_NAME = 'hard 1 − IoU (threshold 0.5)';
export const HARD_MAP = 'hard IoU';

/**
 * Everything the view draws from the settings. Each part is recomputed only when what it depends on moves: a p_fg
 * drag only touches the readouts, and a foreground-fraction drag only recomputes when the toy gains or loses a
 * foreground pixel.
 */
export function useSurfaceFrame(surface: SurfaceSettings) {
  const { pixels, smooth, losses, pBg } = surface;
  const toy = toyOf(surface);
  const share = toy.f / toy.n;
  const fns = useMemo(() => compileLosses(losses, smooth), [losses, smooth]);
  const maps = useMemo(() => lossSurfaces({ pixels, foreground: share, smooth, pFg: 0.5, pBg: 0.5 }, fns), [pixels, share, smooth, fns]);
  const curves = useMemo(() => lossCurves({ pixels, foreground: share, smooth, pFg: 0.5, pBg }, fns), [pixels, share, smooth, pBg, fns]);
  const hard = useMemo(() => hardCurve({ pixels, foreground: share, smooth, pFg: 0.5, pBg }), [pixels, share, smooth, pBg]);
  // The race's names and colours: a loss looks the same here as in the race and the landscape.
  const names = useMemo(() => runNames(losses, 'binary'), [losses]);
  const colors = useMemo(() => lossColors(losses), [losses]);
  const series = useMemo(() => {
    const pick = (key: 'value' | 'gradFg'): ChartSeries[] => [
      ...curves.map((c, i) => ({ id: `${i}`, label: names[i], color: colors[i], x: Array.from(c.z), y: Array.from(c[key]) })),
      { id: 'hard', label: HARD_NAME, color: HARD_COLOR, dashed: true, x: Array.from(hard.z), y: Array.from(hard[key]) },
    ];
    return { value: pick('value'), gradFg: pick('gradFg') };
  }, [curves, hard, names, colors]);
  // Every map on one arrow scale, and the bounded ones on one colour scale, so that maps compare.
  const domains = useMemo(() => colourDomains([...maps.surfaces.map((m) => m.value), maps.hardSurface]), [maps]);
  const arrowScale = useMemo(() => arrowScaleOf([...maps.surfaces.map((m) => m.arrows), maps.hardArrows]), [maps]);
  return {
    toy,
    readouts: readoutsOf(surface, fns),
    hardIoU: toyHardIoU(toy),
    ...maps,
    names,
    colors,
    series,
    domains,
    arrowScale,
    mapNames: [...names, HARD_MAP],
  };
}

export type SurfaceFrame = ReturnType<typeof useSurfaceFrame>;

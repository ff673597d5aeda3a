import { useRef } from 'react';
import { logit } from '../../src/analytic/surface';
import { DownloadMenu } from '../charts/DownloadMenu';
import { toX, toY, type SurfacePicture } from './paintSurface';
import type { MapsFigure } from './surfaceExport';

/** The maps as one PNG and one SVG, with their titles and the current prediction. */
export function MapsDownload({
  title,
  note,
  maps,
  pFg,
  pBg,
}: {
  title: string;
  note: string;
  maps: { title: string; picture: SurfacePicture }[];
  pFg: number;
  pBg: number;
}) {
  const box = useRef<HTMLSpanElement>(null);
  const figure = (): MapsFigure => {
    const card = getComputedStyle(box.current?.closest('.card') ?? document.body);
    const dot = box.current?.closest('.card')?.querySelector('.heatmap .current');
    const dotFill = dot ? getComputedStyle(dot).fill : '#e8453c';
    const at = { x: toX(logit(pFg)), y: toY(logit(pBg)) };
    return {
      title,
      note,
      maps: maps.map((m) => ({ ...m, dot: at })),
      look: { background: card.backgroundColor, ink: card.color, font: card.fontFamily, dot: dotFill },
    };
  };
  const stem = 'surface-loss-maps';
  return (
    <span ref={box}>
      <DownloadMenu
        items={[
          { label: 'PNG', name: `${stem}.png`, make: async () => (await import('./surfaceExport')).mapsPng(figure()) },
          {
            label: 'SVG',
            name: `${stem}.svg`,
            make: async () => new Blob([(await import('./surfaceExport')).mapsSvg(figure()).text], { type: 'image/svg+xml' }),
          },
        ]}
      />
    </span>
  );
}

// The analytic view's maps as one figure file: every map with its title and the current prediction, as an SVG
// (each map a PNG inside it, at twice the pixels) and as a PNG. Loaded on the first download, not with the page.
import { svgDocument, svgToPng } from '../charts/chartExport';
import { DISPLAY, paintSurface, type SurfacePicture } from './paintSurface';

export interface MapsFigure {
  title: string;
  /** Below the maps: how to read them. */
  note: string;
  maps: { title: string; picture: SurfacePicture; dot: { x: number; y: number } }[];
  /** The page's colours and font, so the file looks as the figure does. */
  look: { background: string; ink: string; font: string; dot: string };
}

const COLUMNS = 4;
const GAP = 16;
const HEAD = 30;
const LABEL = 20;
/** The note's line height; the note takes as many lines as it has. */
const NOTE_LINE = 15;
const EXPORT_SCALE = 2;

/** The figure as a standalone SVG document. */
export function mapsSvg(figure: MapsFigure): { text: string; width: number; height: number } {
  const columns = Math.min(COLUMNS, figure.maps.length);
  const rows = Math.ceil(figure.maps.length / columns);
  const width = GAP + columns * (DISPLAY + GAP);
  const notes = figure.note.split('\n');
  const noteHeight = 10 + NOTE_LINE * notes.length;
  const height = HEAD + rows * (LABEL + DISPLAY + GAP) + noteHeight;
  const { doc, add } = svgDocument(width, height);
  const { background, ink, font, dot } = figure.look;
  add('rect', { width, height, fill: background });
  add('text', { x: GAP, y: 20, fill: ink, 'font-family': font, 'font-size': 15, 'font-weight': 600 }, figure.title);
  const canvas = document.createElement('canvas');
  figure.maps.forEach((m, i) => {
    const x = GAP + (i % columns) * (DISPLAY + GAP);
    const y = HEAD + Math.floor(i / columns) * (LABEL + DISPLAY + GAP);
    add('text', { x, y: y + 14, fill: ink, 'font-family': font, 'font-size': 12, 'font-weight': 600 }, m.title);
    paintSurface(canvas, m.picture, EXPORT_SCALE, null);
    add('image', { x, y: y + LABEL, width: DISPLAY, height: DISPLAY, href: canvas.toDataURL('image/png') });
    add('circle', { cx: x + m.dot.x, cy: y + LABEL + m.dot.y, r: 4.5, fill: dot, stroke: '#fff', 'stroke-width': 1.5 });
  });
  notes.forEach((line, i) => {
    add('text', { x: GAP, y: height - noteHeight + 14 + NOTE_LINE * i, fill: ink, 'font-family': font, 'font-size': 11 }, line);
  });
  return { text: new XMLSerializer().serializeToString(doc), width, height };
}

export const mapsPng = (figure: MapsFigure): Promise<Blob> => svgToPng(mapsSvg(figure), EXPORT_SCALE);

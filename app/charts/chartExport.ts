// A chart as files: a standalone SVG (the page's styles written into it), a PNG at twice the pixels, and its
// series as CSV. Page-side only: it reads the rendered chart. Loaded on the first download, not with the page.
import { csvFormatRows } from 'd3-dsv';
import type { ChartSeries } from './lineChart';

/** The properties the page's stylesheet sets on a chart; written into the copy, which has no stylesheet. */
const STYLED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
] as const;
const TITLE_H = 24;
const LEGEND_ROW = 18;
const SVG_NS = 'http://www.w3.org/2000/svg';

/** One row per step of any series (a decimated series keeps its own steps); an empty cell where a run has none. */
export function chartCsv(series: readonly ChartSeries[], xLabel = 'step'): string {
  const steps = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const columns = series.map((s) => new Map(s.x.map((x, i) => [x, s.y[i]])));
  const cell = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  return csvFormatRows([[xLabel, ...series.map((s) => s.label)], ...steps.map((x) => [String(x), ...columns.map((c) => cell(c.get(x)))])]);
}

/** An empty standalone SVG document of this size, and a way to append elements with attributes and text. */
export function svgDocument(width: number, height: number) {
  const doc = document.createElementNS(SVG_NS, 'svg');
  doc.setAttribute('xmlns', SVG_NS);
  doc.setAttribute('width', String(width));
  doc.setAttribute('height', String(height));
  doc.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const add = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const el = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    doc.appendChild(el);
    return el;
  };
  return { doc, add };
}

/** A legend entry of an exported chart: a line sample in the series' colour and style. */
export interface LegendEntry {
  label: string;
  color: string;
  dashed: boolean;
}

/** The rendered chart as a self-contained SVG document with its title and a legend (every line style in it). */
export function standaloneSvg(
  svg: SVGSVGElement,
  title: string,
  legend: readonly LegendEntry[],
): { text: string; width: number; height: number } {
  const width = svg.width.baseVal.value;
  const chartH = svg.height.baseVal.value;
  const height = TITLE_H + chartH + LEGEND_ROW * legend.length + 6;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  // Computed styles of the live chart, element by element (the copy has the same tree).
  const live = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  live.forEach((el, i) => {
    const style = getComputedStyle(el);
    // Through the CSSOM, not a style attribute string: a strict Content-Security-Policy allows only the former.
    for (const p of STYLED) (copies[i] as SVGElement).style.setProperty(p, style.getPropertyValue(p));
  });
  const page = getComputedStyle(svg.closest('.card') ?? document.body);
  const ink = getComputedStyle(svg).color;
  const { doc, add } = svgDocument(width, height);
  add('rect', { width, height, fill: page.backgroundColor });
  add('text', { x: 8, y: 17, fill: ink, 'font-family': page.fontFamily, 'font-size': 14, 'font-weight': 600 }, title);
  copy.setAttribute('y', String(TITLE_H));
  copy.removeAttribute('aria-hidden');
  doc.appendChild(copy);
  legend.forEach((l, i) => {
    const y = TITLE_H + chartH + LEGEND_ROW * i + 12;
    add('line', {
      x1: 6,
      x2: 20,
      y1: y - 4,
      y2: y - 4,
      stroke: l.color,
      'stroke-width': 2.5,
      ...(l.dashed ? { 'stroke-dasharray': '5 3' } : {}),
    });
    add('text', { x: 24, y, fill: ink, 'font-family': page.fontFamily, 'font-size': 12 }, l.label);
  });
  return { text: new XMLSerializer().serializeToString(doc), width, height };
}

/** Draws an SVG document onto a canvas at `scale` device pixels per pixel. */
export async function svgToPng(svg: { text: string; width: number; height: number }, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(svg.width * scale);
    canvas.height = Math.round(svg.height * scale);
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

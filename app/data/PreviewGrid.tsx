import { useEffect, useMemo, useRef } from 'react';
import type { ImportedDataset, ImportedPair } from '../../src/data/importedData';
import './PreviewGrid.css';

/** The pairs a preview shows: enough to see that images and masks line up, few enough to draw at once. */
const SHOWN = 12;
/** So few pairs that each is drawn large: a whole field of view is worth looking at closely. */
const FEW = 3;
/**
 * A thumbnail's longest side in canvas pixels: larger images are sampled down to it, smaller ones scaled up by a whole
 * factor, so that a few pairs shown large stay sharp.
 */
const SIDE = 256;

type Rgb = readonly [number, number, number];

/**
 * The outline colour of each class, by index (0, the background, has none): bright and apart from each other, so
 * that they show on dark microscopy and on bright photographs alike. Class 1 is the red of the predictions' outline.
 */
const OUTLINES: readonly { name: string; rgb: Rgb }[] = [
  { name: 'red', rgb: [255, 60, 60] },
  { name: 'cyan', rgb: [51, 214, 255] },
  { name: 'yellow', rgb: [255, 212, 0] },
  { name: 'green', rgb: [76, 255, 122] },
  { name: 'magenta', rgb: [255, 92, 240] },
  { name: 'orange', rgb: [255, 154, 31] },
  { name: 'blue', rgb: [92, 124, 255] },
  { name: 'white', rgb: [255, 255, 255] },
];
const outlineOf = (cls: number) => OUTLINES[(cls - 1) % OUTLINES.length];
const css = ([r, g, b]: Rgb) => `rgb(${r} ${g} ${b})`;
const fromHex = (hex: string): Rgb => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];

/**
 * Each class's outline colour, by class index (the background's, 0, is never drawn): a colour mask's own colours,
 * which its legend names, else the outlines above.
 */
const classColours = (data: ImportedDataset): Rgb[] =>
  Array.from({ length: data.classes }, (_, cls) => {
    const own = data.legend?.[cls];
    return own ? fromHex(own) : outlineOf(Math.max(cls, 1)).rgb;
  });

/** The thumbnail's size and, per thumbnail pixel, the image pixel it shows (nearest). */
function sampling(pair: ImportedPair): { w: number; h: number; source: (x: number, y: number) => number } {
  const long = Math.max(pair.width, pair.height);
  const scale = long > SIDE ? SIDE / long : Math.floor(SIDE / long);
  const w = Math.max(1, Math.round(pair.width * scale));
  const h = Math.max(1, Math.round(pair.height * scale));
  return {
    w,
    h,
    source: (x, y) => Math.min(pair.height - 1, Math.floor(y / scale)) * pair.width + Math.min(pair.width - 1, Math.floor(x / scale)),
  };
}

/**
 * The image in grey or colour, and over it the outline of each labelled region in its class's colour: the pixels
 * of a class that touch another class. Drawn at the thumbnail's resolution, so the line is one pixel thin there.
 */
function paintPair(ctx: CanvasRenderingContext2D, pair: ImportedPair, channels: number, colours: readonly Rgb[]) {
  const { w, h, source } = sampling(pair);
  const img = ctx.createImageData(w, h);
  const labels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) labels[y * w + x] = pair.labels[source(x, y)];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = labels[i];
      const edge =
        l > 0 &&
        ((x > 0 && labels[i - 1] !== l) ||
          (x < w - 1 && labels[i + 1] !== l) ||
          (y > 0 && labels[i - w] !== l) ||
          (y < h - 1 && labels[i + w] !== l));
      const s = source(x, y) * channels;
      const rgb = edge
        ? (colours[l] ?? outlineOf(l).rgb)
        : ([0, channels === 3 ? 1 : 0, channels === 3 ? 2 : 0] as const).map((c) =>
            Math.round(Math.max(0, Math.min(1, pair.image[s + c])) * 255),
          );
      img.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
    }
  ctx.canvas.width = w;
  ctx.canvas.height = h;
  ctx.putImageData(img, 0, 0);
}

function PairThumb({ pair, channels, colours }: { pair: ImportedPair; channels: number; colours: readonly Rgb[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) paintPair(ctx, pair, channels, colours);
  }, [pair, channels, colours]);
  const split = pair.split ? ` (${pair.split})` : '';
  return (
    <li>
      <canvas ref={ref} role="img" aria-label={`${pair.name}${split}: image with its mask’s outline, ${pair.width} × ${pair.height}`} />
      <span className="preview-name" title={pair.name}>
        {pair.name}
      </span>
    </li>
  );
}

/** Which outline colour is which class; a colour mask's classes are outlined in the mask's own colours. */
function Legend({ data }: { data: ImportedDataset }) {
  if (data.classes <= 2 && !data.legend) {
    return (
      <p className="preview-legend">
        <span className="swatch" style={{ background: css(outlineOf(1).rgb) }} /> {outlineOf(1).name}: the outline of the mask’s objects
      </p>
    );
  }
  return (
    <ul className="preview-legend" aria-label="Classes">
      {Array.from({ length: data.classes - 1 }, (_, k) => {
        const cls = k + 1;
        const own = data.legend?.[cls];
        return (
          <li key={cls}>
            <span className={`swatch${own ? ' swatch-mask' : ''}`} style={{ background: own ?? css(outlineOf(cls).rgb) }} /> class {cls}:{' '}
            {own ? (
              <>
                mask colour <code>{own}</code>
              </>
            ) : (
              `${outlineOf(cls).name} outline`
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The first pairs of an import, each image with its mask's outline over it: do they line up, is the mask what was meant? */
export function PreviewGrid({ data }: { data: ImportedDataset }) {
  const shown = data.pairs.slice(0, SHOWN);
  const colours = useMemo(() => classColours(data), [data]);
  return (
    <figure className={`preview${shown.length <= FEW ? ' preview-few' : ''}`} aria-label="Preview">
      <ul className="preview-grid">
        {shown.map((pair) => (
          <PairThumb key={pair.name} pair={pair} channels={data.channels} colours={colours} />
        ))}
      </ul>
      <figcaption>
        <Legend data={data} />
        <span className="hint">
          {shown.length < data.pairs.length
            ? `The first ${shown.length} of ${data.pairs.length} pairs.`
            : shown.length === 1
              ? 'The only pair.'
              : `All ${shown.length} pairs.`}
        </span>
      </figcaption>
    </figure>
  );
}

import { useEffect, useRef } from 'react';
import { VIRIDIS } from '../charts/viridis';
import type { Snapshot } from '../../src/train/race';
import type { RunSeries } from './raceStore';
import './Predictions.css';

type Painter = (data: ImageData, size: number) => void;

/** One thumbnail; `content` identifies what it shows, so it is repainted only when that changes. */
export function Cell({ size, paint, label, content }: { size: number; paint: Painter; label: string; content: unknown }) {
  const ref = useRef<HTMLCanvasElement>(null);
  // The painter is a new closure at every render; `content` says when what it paints has changed.
  const painter = useRef(paint);
  painter.current = paint;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(size, size);
    painter.current(img, size);
    ctx.putImageData(img, 0, 0);
  }, [size, content]);
  return <canvas ref={ref} width={size} height={size} className="thumb" role="img" aria-label={label} />;
}

function putPixel(img: ImageData, i: number, r: number, g: number, b: number) {
  img.data[i * 4] = r;
  img.data[i * 4 + 1] = g;
  img.data[i * 4 + 2] = b;
  img.data[i * 4 + 3] = 255;
}

/** Pixels of the thresholded mask that touch a pixel outside it: the outline drawn over the probability map. */
function outline(mask: Uint8Array, size: number, i: number): boolean {
  if (!mask[i]) return false;
  const x = i % size;
  const y = Math.floor(i / size);
  return x === 0 || y === 0 || x === size - 1 || y === size - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - size] || !mask[i + size];
}

/** Object probability of every pixel: p (binary) or 1 − p(background) (multi-class), and the hard mask. */
function objectMap(snap: Snapshot | null, image: number, size: number): { p: Float32Array; mask: Uint8Array } | null {
  if (!snap) return null;
  const n = size * size;
  const c = snap.channels;
  const p = new Float32Array(n);
  const mask = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const base = (image * n + j) * c;
    if (c === 1) {
      p[j] = snap.probabilities[base];
      mask[j] = p[j] > 0.5 ? 1 : 0;
    } else {
      p[j] = 1 - snap.probabilities[base];
      let best = 0;
      for (let k = 1; k < c; k++) if (snap.probabilities[base + k] > snap.probabilities[base + best]) best = k;
      mask[j] = best > 0 ? 1 : 0;
    }
  }
  return { p, mask };
}

/**
 * Validation image `img` in grey, stretched from the darkest to the brightest pixel of the images shown together:
 * imported microscopy keeps its scaled intensities, mostly dark, and a reader should see the objects the nets are
 * asked to find. One range for all of them keeps an empty image as dark as it is beside the others.
 */
export const paintImage =
  (images: Float32Array, img: number, n: number): Painter =>
  (d) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    for (let j = 0; j < n; j++) {
      const g = (images[img * n + j] - lo) * scale;
      putPixel(d, j, g, g, g);
    }
  };

/** Its labels: background dark, the object white, other classes orange. */
export const paintTruth =
  (labels: Uint8Array, img: number, n: number): Painter =>
  (d) => {
    for (let j = 0; j < n; j++) {
      const l = labels[img * n + j];
      if (l === 0) putPixel(d, j, 20, 20, 28);
      else if (l === 1) putPixel(d, j, 240, 240, 240);
      else putPixel(d, j, 246, 166, 35);
    }
  };

/** A prediction's object probability in viridis with the thresholded mask's outline in red (grey: none yet). */
export const paintPrediction =
  (snapshot: Snapshot | null, img: number, size: number): Painter =>
  (d) => {
    const map = objectMap(snapshot, img, size);
    for (let j = 0; j < size * size; j++) {
      if (!map) putPixel(d, j, 60, 60, 60);
      else if (outline(map.mask, size, j)) putPixel(d, j, 255, 60, 60);
      else {
        const [cr, cg, cb] = VIRIDIS[Math.round(Math.max(0, Math.min(1, map.p[j])) * 255)];
        putPixel(d, j, cr, cg, cb);
      }
    }
  };

/**
 * The four fixed validation images: input, ground truth, and per run the object probability (viridis: dark is
 * 0, yellow is 1) with the outline of what the run would predict after thresholding.
 */
export function Predictions({
  images,
  labels,
  size,
  runs,
  names,
}: {
  images: Float32Array;
  labels: Uint8Array;
  size: number;
  runs: RunSeries[];
  names: string[];
}) {
  const n = size * size;
  const count = Math.floor(images.length / n);
  return (
    // With many runs on a phone the table scrolls sideways; focusable, so the keyboard can scroll it too.
    <div className="predictions" tabIndex={0} role="region" aria-label="Prediction images, scrollable">
      <table>
        <caption className="visually-hidden">Predictions on four validation images</caption>
        <thead>
          <tr>
            <th scope="col">image</th>
            <th scope="col">truth</th>
            {runs.map((r, i) => (
              <th key={i} scope="col">
                <span className="pred-name">
                  <span className="swatch" style={{ background: r.color }} />
                  {names[i]}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: count }, (_, img) => (
            <tr key={img}>
              <td>
                <Cell size={size} content={images} label={`input image ${img + 1}`} paint={paintImage(images, img, n)} />
              </td>
              <td>
                <Cell size={size} content={labels} label={`ground truth ${img + 1}`} paint={paintTruth(labels, img, n)} />
              </td>
              {runs.map((run, r) => {
                const label = run.snapshot ? `${names[r]} prediction ${img + 1}` : `${names[r]}: no prediction yet`;
                return (
                  <td key={r}>
                    <Cell size={size} content={run.snapshot} label={label} paint={paintPrediction(run.snapshot, img, size)} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

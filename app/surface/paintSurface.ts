// A loss surface painted on a canvas: the page's maps and their exported copies (at twice the pixels) share it.
import type { Surface } from '../../src/analytic/surface';
import { Z_LIMIT } from '../../src/analytic/surface';
import { VIRIDIS } from '../charts/viridis';
import { arrowLength, type ArrowScale, type ColourDomain } from './mapScales';

/** Viridis as RGBA pixels packed in the platform's byte order, so filling an image is one write per pixel. */
const LUT = new Uint32Array(256);
new Uint8ClampedArray(LUT.buffer).set(VIRIDIS.flatMap(([r, g, b]) => [r, g, b, 255]));
const GREY = new Uint32Array(new Uint8ClampedArray([128, 128, 128, 255]).buffer)[0];
/** The side of a map on the page, in CSS pixels. */
export const DISPLAY = 168;
export const toX = (z: number) => ((z + Z_LIMIT) / (2 * Z_LIMIT)) * DISPLAY;
export const toY = (z: number) => DISPLAY - ((z + Z_LIMIT) / (2 * Z_LIMIT)) * DISPLAY;

/** Colours the values on the map's colour scale into `img` (kept per map, so a redraw allocates nothing). */
function colourValues(img: ImageData, values: Float64Array, { lo, hi }: ColourDomain): ImageData {
  const scale = 255 / (hi - lo || 1);
  const px = new Uint32Array(img.data.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    px[i] = Number.isFinite(v) ? LUT[Math.max(0, Math.min(255, Math.round((v - lo) * scale)))] : GREY;
  }
  return img;
}

/**
 * The descent field, drawn over the image at the screen's pixel density: 121 arrows per map, 7 maps, redrawn
 * whenever the surfaces change, are far cheaper as strokes than as SVG elements. Lengths are on the scale all
 * maps share; a gradient below its floor is a dot.
 */
function drawArrows(ctx: CanvasRenderingContext2D, arrows: Surface['arrows'], scale: ArrowScale): void {
  // One path for all shafts and one for all heads and dots: two raster operations per map, not 242.
  const shafts = new Path2D();
  const heads = new Path2D();
  for (const a of arrows) {
    const x0 = toX(a.zFg);
    const y0 = toY(a.zBg);
    const norm = Math.hypot(a.dFg, a.dBg);
    const len = arrowLength(norm, scale);
    if (len === null) {
      heads.moveTo(x0 + 1.2, y0);
      heads.arc(x0, y0, 1.2, 0, 2 * Math.PI);
      continue;
    }
    const ux = a.dFg / norm;
    const uy = -a.dBg / norm;
    const x1 = x0 + ux * len;
    const y1 = y0 + uy * len;
    shafts.moveTo(x0, y0);
    shafts.lineTo(x1, y1);
    heads.moveTo(x1 + ux * 1.5, y1 + uy * 1.5);
    heads.lineTo(x1 - ux * 2.5 - uy * 2, y1 - uy * 2.5 + ux * 2);
    heads.lineTo(x1 - ux * 2.5 + uy * 2, y1 - uy * 2.5 - ux * 2);
    heads.closePath();
  }
  // A dark rim under the white, so that arrows read on viridis's yellow as on its purple.
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.lineWidth = 2.6;
  ctx.stroke(shafts);
  ctx.stroke(heads);
  ctx.strokeStyle = ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.lineWidth = 1.2;
  ctx.stroke(shafts);
  ctx.fill(heads);
}

/** A map's values and descent field, with the scales it is drawn on. */
export interface SurfacePicture {
  values: Float64Array;
  size: number;
  domain: ColourDomain;
  arrows?: Surface['arrows'];
  arrowScale: ArrowScale;
}

/** The map's cells at their own size, kept between redraws so that a redraw allocates nothing. */
export interface SurfaceCells {
  canvas: HTMLCanvasElement;
  img: ImageData;
}

/**
 * Paints a map DISPLAY pixels square at `scale` device pixels per pixel. The values go through a small canvas of
 * their own size and are scaled up without smoothing, so each cell stays a crisp square while the arrows are drawn
 * at full resolution.
 */
export function paintSurface(
  target: HTMLCanvasElement,
  picture: SurfacePicture,
  scale: number,
  cells: SurfaceCells | null,
): SurfaceCells | null {
  const ctx = target.getContext('2d');
  if (!ctx) return cells;
  const { values, size, arrows, domain, arrowScale } = picture;
  if (cells?.img.width !== size) {
    const small = document.createElement('canvas');
    small.width = small.height = size;
    cells = { canvas: small, img: new ImageData(size, size) };
  }
  cells.canvas.getContext('2d')?.putImageData(colourValues(cells.img, values, domain), 0, 0);
  const side = Math.round(DISPLAY * scale);
  if (target.width !== side) target.width = target.height = side;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells.canvas, 0, 0, DISPLAY, DISPLAY);
  if (arrows) drawArrows(ctx, arrows, arrowScale);
  return cells;
}

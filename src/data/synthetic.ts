import type { DataConfig } from '../config/experimentConfig';
import { createRng, deriveSeed, type Rng } from '../random/prng';

/** Images and their label masks, one after another in row-major order. */
export interface ImageSet {
  count: number;
  /** Input channels: 1 (grey) or 3 (colour). */
  channels: number;
  /** count × size × size × channels levels (NHWC: a pixel's channels side by side). */
  images: Float32Array;
  /** count × size × size class labels (0 = background). */
  labels: Uint8Array;
}

export interface Dataset {
  size: number;
  classes: number;
  /** Input channels of every image (the net's first layer takes this many). */
  channels: number;
  train: ImageSet;
  val: ImageSet;
  /** An imported data set's name, pair count and content hash (absent for synthetic images): the results name it. */
  source?: { name: string; pairs: number; hash: string };
}

type ObjectKind = 'disk' | 'square' | 'bar';

function paintDisk(mask: Uint8Array, size: number, area: number, cls: number, rng: Rng) {
  const r = Math.max(1, Math.sqrt(area / Math.PI));
  const cx = rng.uniform(Math.min(r, size / 2), Math.max(size - r, size / 2));
  const cy = rng.uniform(Math.min(r, size / 2), Math.max(size - r, size / 2));
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(size, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(size, Math.ceil(cx + r)); x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) mask[y * size + x] = cls;
    }
  }
}

function paintRect(mask: Uint8Array, size: number, w: number, h: number, cls: number, rng: Rng) {
  const x0 = rng.int(Math.max(1, size - w + 1));
  const y0 = rng.int(Math.max(1, size - h + 1));
  for (let y = y0; y < Math.min(size, y0 + h); y++) for (let x = x0; x < Math.min(size, x0 + w); x++) mask[y * size + x] = cls;
}

function paintObject(mask: Uint8Array, size: number, kind: ObjectKind, area: number, cls: number, rng: Rng) {
  if (kind === 'disk') return paintDisk(mask, size, area, cls, rng);
  if (kind === 'square') {
    const side = Math.max(1, Math.min(size, Math.round(Math.sqrt(area))));
    return paintRect(mask, size, side, side, cls, rng);
  }
  const thickness = 1 + rng.int(2);
  const length = Math.max(2, Math.min(size - 2, Math.round(area / thickness)));
  return rng.next() < 0.5 ? paintRect(mask, size, length, thickness, cls, rng) : paintRect(mask, size, thickness, length, cls, rng);
}

function objectKind(cfg: DataConfig, rng: Rng): { kind: ObjectKind; cls: number } {
  if (cfg.classes === 3) return rng.next() < 0.5 ? { kind: 'disk', cls: 1 } : { kind: 'square', cls: 2 };
  if (cfg.shape === 'mixed') return { kind: (['disk', 'square', 'bar'] as const)[rng.int(3)], cls: 1 };
  return { kind: cfg.shape === 'disks' ? 'disk' : cfg.shape === 'squares' ? 'square' : 'bar', cls: 1 };
}

/**
 * One image set. Each non-empty image gets 1–3 objects whose areas add up to about `foreground` of the image;
 * pixels are 0.2 + contrast·[object] + noise·N(0, 1). With 3 classes, disks (class 1) are at full contrast and
 * squares (class 2) at half, so that a 5×5 receptive field can tell them apart.
 */
function* generateSet(cfg: DataConfig, count: number, rng: Rng, every: number, before: number): Generator<number, ImageSet> {
  const s = cfg.size;
  const n = s * s;
  const channels = cfg.channels;
  const images = new Float32Array(count * n * channels);
  const labels = new Uint8Array(count * n);
  for (let i = 0; i < count; i++) {
    const mask = labels.subarray(i * n, (i + 1) * n);
    if (rng.next() >= cfg.empty) {
      const target = cfg.foreground * n;
      const objects = Math.min(1 + rng.int(3), Math.max(1, Math.floor(target / 6)));
      for (let k = 0; k < objects; k++) {
        const { kind, cls } = objectKind(cfg, rng);
        paintObject(mask, s, kind, (target / objects) * rng.uniform(0.75, 1.25), cls, rng);
      }
    }
    for (let j = 0; j < n; j++) {
      const level = mask[j] === 0 ? 0 : cfg.classes === 3 && mask[j] === 2 ? cfg.contrast / 2 : cfg.contrast;
      // One draw of noise per pixel whatever the channels: 3 channels are the grey image repeated, the same pixels.
      images.fill(0.2 + level + cfg.noise * rng.normal(), (i * n + j) * channels, (i * n + j + 1) * channels);
    }
    if ((i + 1) % every === 0) yield before + i + 1;
  }
  return { count, channels, images, labels };
}

/**
 * The fixed training and validation sets of a config, made `every` images at a time: the generator yields the
 * number of images made so far, so a caller can report progress and let other work in between. The same seed
 * gives the same pixels everywhere, whatever `every` is.
 */
export function* generateDatasetInSteps(cfg: DataConfig, seed: number, every = 64): Generator<number, Dataset> {
  const train = yield* generateSet(cfg, cfg.train, createRng(deriveSeed(seed, 'train')), every, 0);
  const val = yield* generateSet(cfg, cfg.val, createRng(deriveSeed(seed, 'val')), every, cfg.train);
  return { size: cfg.size, classes: cfg.classes, channels: cfg.channels, train, val };
}

/** The fixed training and validation sets of a config, all at once. */
export function generateDataset(cfg: DataConfig, seed: number): Dataset {
  const steps = generateDatasetInSteps(cfg, seed, Infinity);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Share of labelled (non-zero) pixels of a set. */
export function foregroundShare(set: ImageSet): number {
  let fg = 0;
  for (const l of set.labels) if (l !== 0) fg++;
  return fg / set.labels.length;
}

import type { DataConfig } from '../config/experimentConfig';
import { createRng, deriveSeed, permutation } from '../random/prng';
import { ImportError } from './importError';
import type { ImportedDataset, ImportedPair, ImportProblem } from './importedData';
import type { Dataset, ImageSet } from './synthetic';

/** A race's sets cut from an import, and the pairs left out (each named). */
export interface PreparedDataset {
  dataset: Dataset;
  problems: ImportProblem[];
}

/** A pair as the cutting reads it: its pixels already in the race's input channels. */
interface Source {
  pair: ImportedPair;
  image: Float32Array;
}

const byName = (a: ImportedPair, b: ImportedPair) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Splits pairs by file: a train/ or val/ folder decides; the rest are shuffled by the seed and about `valShare` of all
 * pairs go to validation, leaving at least one on each side where the folders allow it. Both lists in name order, so
 * the split depends on the seed and the files, not on the order they were read in.
 */
export function splitPairs(pairs: readonly ImportedPair[], valShare: number, seed: number): { train: ImportedPair[]; val: ImportedPair[] } {
  const sorted = [...pairs].sort(byName);
  const train = sorted.filter((p) => p.split === 'train');
  const val = sorted.filter((p) => p.split === 'val');
  const free = sorted.filter((p) => p.split === null);
  const wanted = Math.round(valShare * sorted.length) - val.length;
  const toVal = Math.max(0, Math.min(Math.max(wanted, val.length === 0 ? 1 : 0), free.length - (train.length === 0 ? 1 : 0)));
  const order = permutation(free.length, createRng(deriveSeed(seed, 'split')));
  const isVal = new Uint8Array(free.length);
  for (let i = 0; i < toVal; i++) isVal[order[i]] = 1;
  free.forEach((p, i) => (isVal[i] ? val : train).push(p));
  return { train: train.sort(byName), val: val.sort(byName) };
}

/** An image in `to` channels: grey repeated, colour averaged to grey, or its first channels. */
function inChannels(image: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return image;
  const n = image.length / from;
  const out = new Float32Array(n * to);
  for (let i = 0; i < n; i++) {
    const grey = from === 1 ? image[i] : (image[i * from] + image[i * from + 1] + image[i * from + 2]) / 3;
    for (let c = 0; c < to; c++) out[i * to + c] = from === 1 || to === 1 ? grey : image[i * from + c];
  }
  return out;
}

function emptySet(count: number, size: number, channels: number): ImageSet {
  return { count, channels, images: new Float32Array(count * size * size * channels), labels: new Uint8Array(count * size * size) };
}

/**
 * Copies the size × size window at (x0, y0) of a source into item `index` of a set, row by row. Plain loops: a
 * subarray per row costs more than the copy at these sizes.
 */
function copyWindow(set: ImageSet, index: number, s: Source, x0: number, y0: number, size: number) {
  const c = set.channels;
  const w = s.pair.width;
  const { images, labels } = set;
  const { image } = s;
  const mask = s.pair.labels;
  const rowSamples = size * c;
  for (let y = 0; y < size; y++) {
    const from = (y0 + y) * w + x0;
    const to = (index * size + y) * size;
    for (let i = 0, a = from * c, b = to * c; i < rowSamples; i++) images[b + i] = image[a + i];
    for (let i = 0; i < size; i++) labels[to + i] = mask[from + i];
  }
}

/**
 * `count` crops at seeded random places. Each image gives crops in proportion to its area (systematic sampling:
 * equal tiles give equal numbers of crops), so a large field is not under-used and a small one not over-used.
 */
function randomCrops(sources: readonly Source[], count: number, size: number, channels: number, seed: number): ImageSet {
  const rng = createRng(deriveSeed(seed, 'crops'));
  const set = emptySet(count, size, channels);
  const ends = new Float64Array(sources.length);
  let total = 0;
  sources.forEach((s, i) => (ends[i] = total += s.pair.width * s.pair.height));
  const offset = rng.next();
  let k = 0;
  for (let i = 0; i < count; i++) {
    const at = ((i + offset) / count) * total;
    while (k < sources.length - 1 && ends[k] <= at) k++;
    const s = sources[k];
    copyWindow(set, i, s, rng.int(s.pair.width - size + 1), rng.int(s.pair.height - size + 1), size);
  }
  return set;
}

/**
 * The validation tiles: each image cut into a centred grid of non-overlapping size × size tiles; taken one tile of
 * each image in turn (row-major within an image), so that a cap of `max` tiles still samples every image.
 */
function gridTiles(sources: readonly Source[], max: number, size: number, channels: number): ImageSet {
  const grids = sources.map((s) => {
    const nx = Math.floor(s.pair.width / size);
    const ny = Math.floor(s.pair.height / size);
    return { s, nx, tiles: nx * ny, x0: (s.pair.width - nx * size) >> 1, y0: (s.pair.height - ny * size) >> 1 };
  });
  const places: [Source, number, number][] = [];
  const rounds = Math.max(...grids.map((g) => g.tiles));
  for (let r = 0; r < rounds && places.length < max; r++)
    for (const g of grids)
      if (r < g.tiles && places.length < max) places.push([g.s, g.x0 + (r % g.nx) * size, g.y0 + Math.floor(r / g.nx) * size]);
  const set = emptySet(places.length, size, channels);
  places.forEach(([s, x, y], i) => copyWindow(set, i, s, x, y, size));
  return set;
}

/** For each output index along one axis, the source indices it covers and their shares of it (area averaging). */
function areaWeights(from: number, to: number) {
  const scale = from / to;
  const index: number[] = [];
  const weight: number[] = [];
  const starts = new Int32Array(to + 1);
  for (let o = 0; o < to; o++) {
    const a = o * scale;
    const b = (o + 1) * scale;
    for (let s = Math.floor(a); s < Math.min(from, Math.ceil(b)); s++) {
      const cover = Math.min(b, s + 1) - Math.max(a, s);
      if (cover > 1e-9) {
        index.push(s);
        weight.push(cover / scale);
      }
    }
    starts[o + 1] = index.length;
  }
  return { index: Int32Array.from(index), weight: Float64Array.from(weight), starts };
}

/** One pair resized to size × size into item `at` of a set: pixels averaged over the area each covers, labels nearest. */
function resizeInto(set: ImageSet, at: number, s: Source, size: number) {
  const { width: w, height: h, labels } = s.pair;
  const c = set.channels;
  const xs = areaWeights(w, size);
  const ys = areaWeights(h, size);
  // Rows first (h × size), then columns (size × size).
  const rows = new Float32Array(h * size * c);
  for (let y = 0; y < h; y++)
    for (let ox = 0; ox < size; ox++)
      for (let k = xs.starts[ox]; k < xs.starts[ox + 1]; k++) {
        const from = (y * w + xs.index[k]) * c;
        const to = (y * size + ox) * c;
        for (let ch = 0; ch < c; ch++) rows[to + ch] += s.image[from + ch] * xs.weight[k];
      }
  const base = at * size * size;
  for (let oy = 0; oy < size; oy++)
    for (let k = ys.starts[oy]; k < ys.starts[oy + 1]; k++)
      for (let i = 0; i < size * c; i++) set.images[(base + oy * size) * c + i] += rows[ys.index[k] * size * c + i] * ys.weight[k];
  for (let oy = 0; oy < size; oy++) {
    const sy = Math.floor(((oy + 0.5) * h) / size);
    for (let ox = 0; ox < size; ox++) set.labels[base + oy * size + ox] = labels[sy * w + Math.floor(((ox + 0.5) * w) / size)];
  }
}

/** Each image resized, in `order`, repeated to `count` items (a training set keeps its size whatever the number of files). */
function resizedSet(sources: readonly Source[], order: ArrayLike<number>, count: number, size: number, channels: number): ImageSet {
  const once = emptySet(Math.min(count, sources.length), size, channels);
  for (let i = 0; i < once.count; i++) resizeInto(once, i, sources[order[i]], size);
  if (once.count === count) return once;
  const set = emptySet(count, size, channels);
  const n = size * size;
  for (let i = 0; i < count; i++) {
    const j = i % once.count;
    set.images.set(once.images.subarray(j * n * channels, (j + 1) * n * channels), i * n * channels);
    set.labels.set(once.labels.subarray(j * n, (j + 1) * n), i * n);
  }
  return set;
}

function whyNoSplit(train: number, val: number): string | null {
  if (train + val < 2) return 'a race needs at least two pairs, one to train on and one to validate on';
  if (train === 0) return 'every pair is in a val/ folder: put some in train/ or outside val/ to train on';
  if (val === 0) return 'every pair is in a train/ folder: put some in val/ or outside train/ to validate on';
  return null;
}

/**
 * The training and validation sets of a race on imported data (NHWC, `data.channels` channels). Pairs smaller
 * than the image size are left out, each a problem naming it; the rest are split by file (splitPairs). 'crop':
 * `data.train` seeded random crops of the training images, and the validation images' grid tiles (at most
 * `data.val`). 'resize': each image resized to the image size; the training images, in a seeded order, repeated
 * to `data.train`, and the first `data.val` validation images. The same seed gives the same pixels. Throws an
 * ImportError when nothing is left to train or to validate on.
 */
export function prepareDataset(imported: ImportedDataset, data: DataConfig, seed: number): PreparedDataset {
  const { size, channels } = data;
  if (imported.classes > data.classes)
    throw new ImportError(`the masks have ${imported.classes} classes, the setting allows ${data.classes}`);
  const problems: ImportProblem[] = [];
  const fit = imported.pairs.filter((p) => {
    if (p.width >= size && p.height >= size) return true;
    const message = `is ${p.width} × ${p.height} pixels, smaller than the image size ${size} × ${size}: left out`;
    problems.push({ file: p.name, message, severity: 'error' });
    return false;
  });
  if (fit.length === 0)
    throw new ImportError(`no image is at least ${size} × ${size} pixels (the image size): nothing is left to train on`);
  const split = splitPairs(fit, data.valShare, seed);
  const why = whyNoSplit(split.train.length, split.val.length);
  if (why) throw new ImportError(why);
  const source = (pair: ImportedPair): Source => ({ pair, image: inChannels(pair.image, imported.channels, channels) });
  const train = split.train.map(source);
  const val = split.val.map(source);
  const resize = data.crop === 'resize';
  const dataset: Dataset = {
    size,
    classes: data.classes,
    channels,
    train: resize
      ? resizedSet(train, permutation(train.length, createRng(deriveSeed(seed, 'crops'))), data.train, size, channels)
      : randomCrops(train, data.train, size, channels, seed),
    val: resize
      ? resizedSet(val, Array.from(val.keys()), Math.min(data.val, val.length), size, channels)
      : gridTiles(val, data.val, size, channels),
    source: { name: imported.name, pairs: imported.pairs.length, hash: imported.hash },
  };
  return { dataset, problems };
}

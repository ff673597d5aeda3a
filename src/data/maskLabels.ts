import type { MaskKind, RawImage } from './importedData';

/** A mask read as one class label per pixel. */
export interface MaskLabels {
  /** height × width class labels, 0 = background. */
  labels: Uint8Array;
  kind: MaskKind;
  /** The highest class this mask uses, plus one (background), and at least 2: every mask poses at least object vs background. */
  classesFound: number;
  /** A colour mask's legend, index = class ('#rrggbb', '#000000' first): the colours passed in, then the new ones. */
  colours?: string[];
}

/** Grey levels up to this are read as class indices (0, 1, 2 …); above it, as levels painted in grey (0, 128, 255). */
const MAX_INDEX_LEVEL = 15;

const tooMany = (found: number, classes: number, context = '') =>
  new Error(`has ${found} classes${context}, the setting allows ${classes}`);

const hex = (r: number, g: number, b: number) => `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;

function highestPlusOne(labels: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return Math.max(2, max + 1);
}

/** Whether every pixel of an RGB(A) image has R = G = B: a grey mask saved in colour (or decoded to RGBA by a browser). */
function isGrey(data: RawImage['data'], n: number, stride: number): boolean {
  for (let i = 0, j = 0; i < n; i++, j += stride) if (data[j] !== data[j + 1] || data[j] !== data[j + 2]) return false;
  return true;
}

/** A 16-bit single-channel mask: instance labels (one value per object), so every non-zero label is object. */
function instanceLabels(data: RawImage['data'], n: number, stride: number): MaskLabels {
  const labels = new Uint8Array(n);
  let first = 0;
  let several = false;
  for (let i = 0, j = 0; i < n; i++, j += stride) {
    const v = data[j];
    if (v === 0) continue;
    labels[i] = 1;
    if (first === 0) first = v;
    else if (v !== first) several = true;
  }
  return { labels, kind: several ? 'instance' : 'binary', classesFound: 2 };
}

/**
 * An 8-bit single-channel mask. One non-zero level is binary (any value), unless it is a valid class index (a class-2
 * mask without class 1); several small levels are class indices; several large ones are classes in order of level.
 */
function greyLabels(data: RawImage['data'], n: number, stride: number, classes: number): MaskLabels {
  const counts = new Uint32Array(256);
  for (let i = 0, j = 0; i < n; i++, j += stride) counts[data[j]]++;
  const levels: number[] = [];
  for (let v = 1; v < 256; v++) if (counts[v] > 0) levels.push(v);
  const map = new Uint8Array(256);
  let kind: MaskKind = 'classIndex';
  if (levels.length <= 1) {
    const v = levels[0] ?? 1;
    map[v] = v < classes ? v : 1;
    if (map[v] === 1) kind = 'binary';
  } else if (levels[levels.length - 1] <= MAX_INDEX_LEVEL) {
    if (levels[levels.length - 1] + 1 > classes) throw tooMany(levels[levels.length - 1] + 1, classes);
    for (const v of levels) map[v] = v;
  } else {
    if (levels.length + 1 > classes) throw tooMany(levels.length + 1, classes);
    levels.forEach((v, k) => (map[v] = k + 1));
  }
  const labels = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += stride) labels[i] = map[data[j]];
  return { labels, kind, classesFound: highestPlusOne(labels) };
}

/**
 * An RGB(A) colour mask: each distinct colour a class, black (or fully transparent) background. Colours already in
 * `legend` keep their class, so that every mask of a data set names a colour by the same class; new colours follow
 * in order of first appearance.
 */
function colourLabels(raw: RawImage, n: number, classes: number, legend: readonly string[]): MaskLabels {
  const { data, channels, depth } = raw;
  const shift = depth === 16 ? 8 : 0;
  const colours = legend.length > 0 ? [...legend] : ['#000000'];
  const classOf = new Map<number, number>();
  colours.forEach((c, k) => classOf.set(parseInt(c.slice(1), 16), k));
  const known = colours.length;
  const labels = new Uint8Array(n);
  let lastKey = 0;
  let lastClass = 0;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    if (channels === 4 && data[j + 3] === 0) continue;
    const key = ((data[j] >> shift) << 16) | ((data[j + 1] >> shift) << 8) | (data[j + 2] >> shift);
    if (key !== lastKey) {
      let cls = classOf.get(key);
      if (cls === undefined) {
        cls = colours.length;
        classOf.set(key, cls);
        colours.push(hex(key >> 16, (key >> 8) & 255, key & 255));
      }
      lastKey = key;
      lastClass = cls;
    }
    labels[i] = lastClass;
  }
  if (colours.length > classes) throw tooMany(colours.length, classes, known > 1 ? ' with the masks before it' : '');
  return { labels, kind: 'colour', classesFound: highestPlusOne(labels), colours };
}

/**
 * Reads a decoded mask as class labels. Palette PNG: the palette index is the class. RGB(A): each colour a class
 * (a grey mask saved in colour is read as grey). 16-bit grey: instance labels, any non-zero is object. 8-bit grey:
 * see greyLabels. Throws an Error "has N classes, the setting allows M" when the mask needs more classes than
 * `classes` (background included); the caller names the file.
 */
export function maskToLabels(raw: RawImage, classes: number, legend: readonly string[] = []): MaskLabels {
  const n = raw.width * raw.height;
  const { data, channels } = raw;
  if (raw.indexed) {
    const labels = Uint8Array.from(data.subarray(0, n));
    const found = highestPlusOne(labels);
    if (found > classes) throw tooMany(found, classes);
    return { labels, kind: 'palette', classesFound: found };
  }
  if (channels >= 3 && !isGrey(data, n, channels)) return colourLabels(raw, n, classes, legend);
  if (raw.depth === 16) return instanceLabels(data, n, channels);
  return greyLabels(data, n, channels, classes);
}

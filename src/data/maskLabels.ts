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
  /**
   * A grey mask with several levels, one above 15: the import's grey levels, class = index + 1: the levels passed in,
   * then this mask's new ones in order of level.
   */
  levels?: number[];
  /**
   * A grey mask with one non-zero level that the levels passed in do not name, read as binary (class 1): that level,
   * so that the caller can give the mask the class a later mask maps the level to (among the grey levels, or above 15
   * as a grey colour in a colour legend).
   */
  loneLevel?: number;
}

/** Grey levels up to this are read as class indices (0, 1, 2 …); above it, as levels painted in grey (0, 128, 255). */
export const MAX_INDEX_LEVEL = 15;

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

/**
 * A 16-bit single-channel mask. Where the classes setting is above 2, every label is below it and one is above 1, the
 * labels are class indices; otherwise they are instance labels (one value per object), and every non-zero label is
 * object (binary where there is one label).
 */
function sixteenBitLabels(data: RawImage['data'], n: number, stride: number, classes: number): MaskLabels {
  const labels = new Uint8Array(n);
  let first = 0;
  let several = false;
  let max = 0;
  for (let i = 0, j = 0; i < n; i++, j += stride) {
    const v = data[j];
    if (v === 0) continue;
    if (v > max) max = v;
    if (first === 0) first = v;
    else if (v !== first) several = true;
  }
  if (classes > 2 && max < classes && max > 1) {
    for (let i = 0, j = 0; i < n; i++, j += stride) labels[i] = data[j];
    return { labels, kind: 'classIndex', classesFound: max + 1 };
  }
  for (let i = 0, j = 0; i < n; i++, j += stride) if (data[j] !== 0) labels[i] = 1;
  return { labels, kind: several ? 'instance' : 'binary', classesFound: 2 };
}

/**
 * An 8-bit single-channel mask. Several small levels (all up to 15) are class indices. Several levels with one above
 * 15 are painted classes: each level keeps its class in `known` (the import's grey levels, class = index + 1), new
 * ones follow in order of level. One non-zero level takes its class from `known`; otherwise it is binary (any value),
 * unless it is a valid class index (a class-2 mask without class 1). In a colour data set (`legend` not empty) a mask
 * whose levels are all above 15 is read as grey colours through the legend.
 */
function greyLabels(raw: RawImage, n: number, classes: number, legend: readonly string[], known: readonly number[]): MaskLabels {
  const { data, channels: stride } = raw;
  const counts = new Uint32Array(256);
  for (let i = 0, j = 0; i < n; i++, j += stride) counts[data[j]]++;
  const levels: number[] = [];
  for (let v = 1; v < 256; v++) if (counts[v] > 0) levels.push(v);
  if (legend.length > 0 && levels.length > 0 && levels[0] > MAX_INDEX_LEVEL) return colourLabels(raw, n, classes, legend);
  const classOf = new Map(known.map((v, k) => [v, k + 1]));
  const map = new Uint8Array(256);
  let kind: MaskKind = 'classIndex';
  let next: number[] | undefined;
  let loneLevel: number | undefined;
  if (levels.length <= 1) {
    const v = levels[0] ?? 1;
    map[v] = classOf.get(v) ?? (v < classes ? v : 1);
    if (map[v] === 1) kind = 'binary';
    if (levels.length === 1 && kind === 'binary' && !classOf.has(v)) loneLevel = v;
  } else if (levels[levels.length - 1] <= MAX_INDEX_LEVEL) {
    if (levels[levels.length - 1] + 1 > classes) throw tooMany(levels[levels.length - 1] + 1, classes);
    for (const v of levels) map[v] = v;
  } else {
    next = [...known];
    for (const v of levels) if (!classOf.has(v)) classOf.set(v, next.push(v));
    if (next.length + 1 > classes) throw tooMany(next.length + 1, classes, known.length > 0 ? ' with the masks before it' : '');
    for (const v of levels) map[v] = classOf.get(v)!;
  }
  const labels = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += stride) labels[i] = map[data[j]];
  return {
    labels,
    kind,
    classesFound: highestPlusOne(labels),
    ...(next ? { levels: next } : {}),
    ...(loneLevel !== undefined ? { loneLevel } : {}),
  };
}

/** The legend colour of a grey level ('#ffffff' for 255). */
export const greyColour = (level: number): string => hex(level, level, level);

/**
 * An RGB(A) colour mask (or a grey one, its levels read as grey colours): each distinct colour a class, black (or
 * fully transparent) background. Colours already in `legend` keep their class, so that every mask of a data set names
 * a colour by the same class; new colours follow in order of first appearance.
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
  const grey = channels < 3;
  const alpha = channels === 4 ? 3 : channels === 2 ? 1 : 0;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    if (alpha > 0 && data[j + alpha] === 0) continue;
    const r = data[j] >> shift;
    const key = grey ? r * 0x010101 : (r << 16) | ((data[j + 1] >> shift) << 8) | (data[j + 2] >> shift);
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
 * (a grey mask saved in colour is read as grey). 16-bit grey: see sixteenBitLabels. 8-bit grey: see greyLabels.
 * `legend` and `levels` are what the masks read before this one gave (`colours`, `levels`), so that a colour or a grey
 * level is the same class in every mask of an import. Throws an Error "has N classes, the setting allows M" when the
 * mask needs more classes than `classes` (background included); the caller names the file.
 */
export function maskToLabels(raw: RawImage, classes: number, legend: readonly string[] = [], levels: readonly number[] = []): MaskLabels {
  const n = raw.width * raw.height;
  const { data, channels } = raw;
  if (raw.indexed) {
    const labels = Uint8Array.from(data.subarray(0, n));
    const found = highestPlusOne(labels);
    if (found > classes) throw tooMany(found, classes);
    return { labels, kind: 'palette', classesFound: found };
  }
  if (channels >= 3 && !isGrey(data, n, channels)) return colourLabels(raw, n, classes, legend);
  if (raw.depth === 16) return sixteenBitLabels(data, n, channels, classes);
  return greyLabels(raw, n, classes, legend, levels);
}

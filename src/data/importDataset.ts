import { contentHash } from './contentHash';
import type { PaletteImage } from './decodePng';
import { FORMAT_NAMES, readImageHeader, type ImageHeader } from './imageHeader';
import type { FilePair, ImageDecoder, ImportFile, ImportProblem, ImportedDataset, ImportedPair, MaskKind, RawImage } from './importedData';
import { ImportError } from './importError';
import { IMPORT_LIMITS, checkFileLimits, checkTotalPixels, pixelLimitProblem, type ImportLimits } from './importLimits';
import { percentileRange, scaleIntensities, type IntensityScaling } from './intensity';
import { MAX_INDEX_LEVEL, greyColour, maskToLabels } from './maskLabels';
import { isIgnoredPath, pairFiles } from './pairFiles';

/** A decoder's message without its dangling punctuation (fast-png's can end in a colon with nothing after it). */
const decoderWords = (e: unknown) => (e instanceof Error ? e.message : String(e)).trim().replace(/[\s:;,.]+$/, '') || 'no details';

export interface ImportOptions {
  /** The data set's name (the page's stored name, the CLI's folder). */
  name: string;
  /** The classes setting, background included: a mask that needs more is left out. */
  classes: number;
  scaling: IntensityScaling;
  /** Decodes one file (fast-png and tiff in Node; the browser's decoders in the page). */
  decode: ImageDecoder;
  limits?: ImportLimits;
  /** Files handled so far of those paired (two per pair): (0, total) first, then after each batch of pairs. */
  onProgress?: (done: number, total: number) => void;
}

/** A pair whose two headers were read and agree: what is decoded. */
interface CheckedPair extends FilePair {
  imageHeader: ImageHeader;
  maskHeader: ImageHeader;
}

/** One decoded pair, its image not yet scaled: the 'dataset' scaling needs every image first. */
interface ReadPair {
  name: string;
  split: FilePair['split'];
  image: PaletteImage;
  labels: Uint8Array;
  /** The image's and the mask's files, for the content hash. */
  paths: [string, string];
  classesFound: number;
  /** A grey mask with one level, read as binary before any mask mapped that level (MaskLabels.loneLevel). */
  loneLevel?: number;
}

// Pairs decoded at once: the browser's decoders work in parallel, and the progress moves between batches.
const BATCH = 8;
// Problems quoted in the error when nothing at all imports.
const QUOTED_PROBLEMS = 5;

const error = (file: string, message: string): ImportProblem => ({ file, message, severity: 'error' });

/**
 * Reads both headers of each pair: a file that is no image, a broken header, an image over the pixel limit (a
 * decompression bomb) and a mask of another size than its image are named before anything is decoded.
 */
function checkHeaders(
  pairs: readonly FilePair[],
  files: ReadonlyMap<string, ImportFile>,
  limits: ImportLimits,
  problems: ImportProblem[],
): CheckedPair[] {
  const header = (path: string, partner: string): ImageHeader | null => {
    let found: ImageHeader | null;
    try {
      found = readImageHeader(files.get(path)!.bytes);
    } catch (e) {
      problems.push(error(path, `a corrupt image: ${(e as Error).message} (left out with ${partner})`));
      return null;
    }
    if (found === null) {
      problems.push(error(path, `not an image: its bytes are no ${FORMAT_NAMES} (left out with ${partner})`));
      return null;
    }
    const tooLarge = pixelLimitProblem(found.width, found.height, limits);
    if (tooLarge !== null) problems.push(error(path, `${tooLarge} (left out with ${partner})`));
    return tooLarge === null ? found : null;
  };
  const checked: CheckedPair[] = [];
  for (const pair of pairs) {
    const imageHeader = header(pair.image, pair.mask);
    const maskHeader = header(pair.mask, pair.image);
    if (imageHeader === null || maskHeader === null) continue;
    const sizeProblem = mismatch(pair, imageHeader, maskHeader);
    if (sizeProblem !== null) problems.push(sizeProblem);
    else checked.push({ ...pair, imageHeader, maskHeader });
  }
  return checked;
}

/** The problem of a mask whose size is not its image's, named with the mask. */
function mismatch(pair: FilePair, image: { width: number; height: number }, mask: { width: number; height: number }): ImportProblem | null {
  if (image.width === mask.width && image.height === mask.height) return null;
  return error(
    pair.mask,
    `${mask.width} × ${mask.height}, but its image ${pair.image} is ${image.width} × ${image.height} (left out with it)`,
  );
}

/** Decodes one file, or names it with the decoder's words. */
async function decodeFile(
  path: string,
  header: ImageHeader,
  files: ReadonlyMap<string, ImportFile>,
  options: ImportOptions,
  partner: string,
  problems: ImportProblem[],
): Promise<RawImage | null> {
  try {
    return await options.decode(files.get(path)!.bytes, header.format);
  } catch (e) {
    problems.push(error(path, `a corrupt or unreadable ${header.format.toUpperCase()}: ${decoderWords(e)} (left out with ${partner})`));
    return null;
  }
}

// Colour masks name classes by colour, the others by number: one data set cannot mix them. Binary masks (one object
// class) and instance maps (any label is object) fit either.
const numbered = (kind: MaskKind): boolean => kind === 'classIndex' || kind === 'palette';
const clashes = (a: MaskKind, b: MaskKind): boolean => (a === 'colour' && numbered(b)) || (b === 'colour' && numbered(a));
// The data set's kind is its most telling mask's: several classes over instances over binary.
const specificity = (kind: MaskKind): number => (kind === 'binary' ? 0 : kind === 'instance' ? 1 : 2);

/** The state the masks of one import share as they are read in order: the colour legend, the grey levels and the kind so far. */
interface MaskState {
  legend: string[];
  /** Grey levels painted as classes, class = index + 1 (MaskLabels.levels). */
  levels: number[];
  kind: MaskKind | null;
}

/** Labels and warnings of one decoded pair; null (with a problem) where the pair is left out. */
function readPair(
  pair: CheckedPair,
  image: PaletteImage,
  mask: RawImage,
  options: ImportOptions,
  state: MaskState,
  problems: ImportProblem[],
): ReadPair | null {
  const sizeProblem = mismatch(pair, image, mask);
  if (sizeProblem !== null) {
    problems.push(sizeProblem);
    return null;
  }
  let labels;
  try {
    labels = maskToLabels(mask, options.classes, state.legend, state.levels);
  } catch (e) {
    problems.push(error(pair.mask, `${(e as Error).message} (left out with ${pair.image})`));
    return null;
  }
  if (state.kind !== null && clashes(state.kind, labels.kind)) {
    problems.push(error(pair.mask, `a ${labels.kind} mask, but the masks before it are ${state.kind} masks (left out with ${pair.image})`));
    return null;
  }
  if (labels.colours) state.legend = labels.colours;
  if (labels.levels) state.levels = labels.levels;
  if (state.kind === null || specificity(labels.kind) > specificity(state.kind)) state.kind = labels.kind;
  if (!labels.labels.some((v) => v !== 0)) {
    problems.push({ file: pair.mask, message: 'an empty mask: no object in it (imported as all background)', severity: 'warning' });
  }
  return {
    name: pair.name,
    split: pair.split,
    image,
    labels: labels.labels,
    paths: [pair.image, pair.mask],
    classesFound: labels.classesFound,
    ...(labels.loneLevel !== undefined ? { loneLevel: labels.loneLevel } : {}),
  };
}

/**
 * Gives each lone-level grey mask read as binary before the masks that name its level the class they give it: the
 * level's class among the grey levels, or in a colour data set a level above 15 its grey colour's class in the legend
 * (appended where the legend lacks it; the pair is left out where the setting has no room for it).
 */
function settleLoneLevels(read: ReadPair[], state: MaskState, classes: number, problems: ImportProblem[]): ReadPair[] {
  return read.filter((r) => {
    if (r.loneLevel === undefined) return true;
    let cls = -1;
    if (state.kind === 'colour' && r.loneLevel > MAX_INDEX_LEVEL) {
      const colour = greyColour(r.loneLevel);
      cls = state.legend.indexOf(colour);
      if (cls < 0 && state.legend.length >= classes) {
        const found = state.legend.length + 1;
        problems.push(
          error(r.paths[1], `has ${found} classes with the colour masks, the setting allows ${classes} (left out with ${r.paths[0]})`),
        );
        return false;
      }
      if (cls < 0) cls = state.legend.push(colour) - 1;
    } else {
      cls = state.levels.indexOf(r.loneLevel) + 1;
    }
    if (cls > 1) {
      for (let i = 0; i < r.labels.length; i++) if (r.labels[i] === 1) r.labels[i] = cls;
      r.classesFound = Math.max(r.classesFound, cls + 1);
    }
    return true;
  });
}

/** Decodes the pairs a batch at a time and reads them in order (a colour legend grows mask by mask, the same each time). */
async function readPairs(
  pairs: readonly CheckedPair[],
  files: ReadonlyMap<string, ImportFile>,
  options: ImportOptions,
  problems: ImportProblem[],
): Promise<{ read: ReadPair[]; state: MaskState }> {
  const state: MaskState = { legend: [], levels: [], kind: null };
  const read: ReadPair[] = [];
  const total = pairs.length * 2;
  options.onProgress?.(0, total);
  for (let start = 0; start < pairs.length; start += BATCH) {
    const batch = pairs.slice(start, start + BATCH);
    const decoded = await Promise.all(
      batch.map((p) =>
        Promise.all([
          decodeFile(p.image, p.imageHeader, files, options, p.mask, problems),
          decodeFile(p.mask, p.maskHeader, files, options, p.image, problems),
        ]),
      ),
    );
    batch.forEach((pair, i) => {
      const [image, mask] = decoded[i];
      const one = image && mask ? readPair(pair, image, mask, options, state, problems) : null;
      if (one !== null) read.push(one);
    });
    options.onProgress?.(Math.min(total, (start + BATCH) * 2), total);
    // A page that imports on its main thread gets to paint the progress between batches.
    if (start + BATCH < pairs.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { read: settleLoneLevels(read, state, options.classes, problems), state };
}

/** Grey pixels repeated into three channels, for a data set where some image is in colour. */
function toThreeChannels(grey: Float32Array): Float32Array {
  const out = new Float32Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = grey[i];
  return out;
}

/**
 * The imported pairs with their images scaled: 'dataset' by one percentile range pooled over all the images (tiles
 * of one field keep their brightness relative to each other), 'image' per image, 'none' by the bit depth; in three
 * channels where any image is in colour.
 */
function scalePairs(read: readonly ReadPair[], scaling: IntensityScaling): { pairs: ImportedPair[]; channels: 1 | 3 } {
  const range = scaling === 'dataset' ? percentileRange(read.map((r) => r.image)) : undefined;
  const scaled = read.map((r) => scaleIntensities(r.image, scaling, range));
  const channels = scaled.some((s) => s.channels === 3) ? 3 : 1;
  const pairs = read.map((r, i) => ({
    name: r.name,
    split: r.split,
    width: r.image.width,
    height: r.image.height,
    image: scaled[i].channels === channels ? scaled[i].pixels : toThreeChannels(scaled[i].pixels),
    labels: r.labels,
  }));
  return { pairs, channels };
}

function nothingLeft(problems: readonly ImportProblem[], fileCount: number): string {
  if (fileCount === 0) return 'There are no files to import (hidden files and system files are skipped).';
  const errors = problems.filter((p) => p.severity === 'error');
  const quoted = errors.slice(0, QUOTED_PROBLEMS).map((p) => `${p.file}: ${p.message}`);
  const more = errors.length > QUOTED_PROBLEMS ? `; and ${errors.length - QUOTED_PROBLEMS} more` : '';
  return `No image and mask pair could be imported. ${quoted.join('; ')}${more}.`;
}

/**
 * Imports a data set from files: limits first (too many files or bytes throw an ImportError that states the limits),
 * then pairing (pairFiles.ts), headers (not an image, corrupt, too large, sizes that differ), decoding, the masks'
 * labels (maskToLabels) and the images' scaling (scaleIntensities). Each file left out is named in `problems`, and
 * the rest imports; an ImportError is thrown when no pair is left, quoting the first problems.
 */
export async function importDataset(files: readonly ImportFile[], options: ImportOptions): Promise<ImportedDataset> {
  const limits = options.limits ?? IMPORT_LIMITS;
  const byPath = new Map<string, ImportFile>();
  let bytes = 0;
  for (const file of files) {
    if (isIgnoredPath(file.path) || byPath.has(file.path)) continue;
    byPath.set(file.path, file);
    bytes += file.bytes.byteLength;
  }
  checkFileLimits(byPath.size, bytes, limits);
  const { pairs, problems } = pairFiles([...byPath.keys()]);
  const checked = checkHeaders(pairs, byPath, limits, problems);
  checkTotalPixels(
    checked.reduce((sum, p) => sum + p.imageHeader.width * p.imageHeader.height, 0),
    limits,
  );
  const { read, state } = await readPairs(checked, byPath, options, problems);
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (read.length === 0) throw new ImportError(nothingLeft(problems, byPath.size));
  const { pairs: imported, channels } = scalePairs(read, options.scaling);
  const used = read.flatMap((r) => r.paths.map((path) => byPath.get(path)!));
  const maskKind = state.kind ?? 'binary';
  return {
    name: options.name,
    pairs: imported,
    channels,
    classes: read.reduce((most, r) => Math.max(most, r.classesFound), 2),
    maskKind,
    ...(maskKind === 'colour' ? { legend: state.legend } : {}),
    hash: await contentHash(used),
    bytes,
    problems,
  };
}

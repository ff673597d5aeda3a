// The types an import of one's own images passes between its stages: files → pairs → decoded images → an
// imported data set (importDataset.ts) → the training and validation sets of a race (prepareDataset.ts).

/** One file of an import: its path inside what was dropped or named ('/'-separated), and its bytes. */
export interface ImportFile {
  path: string;
  bytes: Uint8Array;
}

/** The image formats an import reads, found from a file's first bytes (imageHeader.ts). */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'tiff';

/** An image as decoded, before any interpretation: interleaved channels, row-major. */
export interface RawImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** 8 or 16 bits per sample. */
  depth: number;
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
  /** The samples are a palette's indices (a palette PNG), not colours: a mask's classes. */
  indexed?: boolean;
}

/** Decodes one file of a known format; throws an Error whose message says what is wrong (not the path). */
export type ImageDecoder = (bytes: Uint8Array, format: ImageFormat) => Promise<RawImage>;

/** An image paired with its mask by name or folder (pairFiles.ts). */
export interface FilePair {
  /** The pair's name: the image's path without its extension. */
  name: string;
  image: string;
  mask: string;
  /** Set by a train/ or val/ folder; null where the split is left to the seeded split. */
  split: 'train' | 'val' | null;
}

/** Something wrong with one file of an import: named with the file, and either skipped or only noted. */
export interface ImportProblem {
  file: string;
  message: string;
  /** 'error': the file (or its pair) is left out; 'warning': it is imported, but look. */
  severity: 'error' | 'warning';
}

/** How the masks were read (maskLabels.ts). */
export type MaskKind = 'binary' | 'classIndex' | 'palette' | 'colour' | 'instance';

/** One imported pair: pixels scaled to about [0, 1] (intensity.ts) and a class label per pixel. */
export interface ImportedPair {
  name: string;
  split: 'train' | 'val' | null;
  width: number;
  height: number;
  /** height × width × channels (the data set's channels), interleaved. */
  image: Float32Array;
  /** height × width class labels, 0 = background. */
  labels: Uint8Array;
}

/** A whole import, ready to cut into a race's sets; plain data (typed arrays) that a worker message can carry. */
export interface ImportedDataset {
  name: string;
  pairs: ImportedPair[];
  /** 1 where every image is grey, else 3 (grey images repeated into three channels). */
  channels: 1 | 3;
  /** Classes found in the masks, background included (2 for binary masks). */
  classes: number;
  maskKind: MaskKind;
  /** A colour mask's colours, index = class ('#rrggbb'); absent for other kinds. */
  legend?: string[];
  /** SHA-256 (hex) of the files' paths and bytes, in path order: the results name the data by it. */
  hash: string;
  /** Bytes of the files read. */
  bytes: number;
  problems: ImportProblem[];
}

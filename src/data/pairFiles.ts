import type { FilePair, ImportProblem } from './importedData';

/** The extensions an import takes as images (or masks); any other file is named as not an image. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'gif', 'tif', 'tiff'] as const;

// A mask named after its image: name_mask, name-mask, name_label, name_seg (either separator, any case).
const MASK_SUFFIX = /^(.+?)[_-](mask|label|seg)$/i;
// Folders that hold the masks, and the one that holds the images, beside each other.
const MASK_FOLDERS = new Set(['masks', 'mask', 'labels', 'label', 'annotations', 'annotation']);
const IMAGE_FOLDERS = new Set(['images', 'image']);
const SPLIT_FOLDERS: Record<string, 'train' | 'val'> = { train: 'train', training: 'train', val: 'val', valid: 'val', validation: 'val' };
// What operating systems and archivers leave in folders; skipped without a word, as hidden files are.
const JUNK_FILES = new Set(['thumbs.db', 'desktop.ini', 'ehthumbs.db']);
const JUNK_FOLDERS = new Set(['__macosx']);

/** Paths as the page and the CLI give them: '/'-separated, no leading './' or '/'. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

/** A hidden file or folder (a name starting with '.') or OS junk: skipped silently, not counted, not named. */
export function isIgnoredPath(path: string): boolean {
  const parts = normalizePath(path).split('/');
  const file = parts[parts.length - 1].toLowerCase();
  return parts.some((p) => p.startsWith('.') || JUNK_FOLDERS.has(p.toLowerCase())) || JUNK_FILES.has(file);
}

/** The extension of a path's file name, lower case, or '' where it has none. */
export function extensionOf(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
}

export const isImagePath = (path: string): boolean => (IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(path));

interface Role {
  role: 'image' | 'mask';
  /** What the image and its mask share: folders with the images/masks folder blanked, the name without suffix. */
  key: string;
  /** A mask in a masks/ folder with a suffix also pairs by the name without it (masks/a_mask.png, images/a.png). */
  alias: string | null;
  split: 'train' | 'val' | null;
}

const folderRole = (folder: string): 'image' | 'mask' | null =>
  MASK_FOLDERS.has(folder) ? 'mask' : IMAGE_FOLDERS.has(folder) ? 'image' : null;

/**
 * The role folders an import holds, by the folder path above them (lower case): an images/ folder pairs by folder
 * only where a masks/ (labels/, annotations/) folder sits beside it, and the other way round. A lone images/ folder
 * (as when the picked folder itself is called images) pairs its files by suffix instead.
 */
function roleFoldersOf(paths: readonly string[]): Map<string, Set<'image' | 'mask'>> {
  const found = new Map<string, Set<'image' | 'mask'>>();
  for (const path of paths) {
    const folders = path.toLowerCase().split('/').slice(0, -1);
    folders.forEach((folder, i) => {
      const role = folderRole(folder);
      if (role === null) return;
      const parent = folders.slice(0, i).join('/');
      const roles = found.get(parent) ?? new Set();
      roles.add(role);
      found.set(parent, roles);
    });
  }
  return found;
}

/** Whether a file is an image or a mask, and the key its partner has. */
function roleOf(path: string, roleFolders: Map<string, Set<'image' | 'mask'>>): Role {
  const parts = path.slice(0, path.length - extensionOf(path).length - 1).split('/');
  const stem = parts.pop() ?? '';
  const folders = parts.map((p) => p.toLowerCase());
  // The nearest images/ or masks/ folder with its partner folder beside it is the one that pairs; a train/ or val/
  // anywhere above sets the split.
  let roleFolder = -1;
  for (let i = folders.length - 1; i >= 0 && roleFolder < 0; i--) {
    const role = folderRole(folders[i]);
    const beside = roleFolders.get(folders.slice(0, i).join('/'));
    if (role !== null && beside?.has(role === 'image' ? 'mask' : 'image')) roleFolder = i;
  }
  // A folder decides over a suffix: images/cell_seg.png is an image, masks/cell_seg.png its mask.
  const suffix = MASK_SUFFIX.exec(stem);
  const keyOf = (name: string) => [...folders.map((f, i) => (i === roleFolder ? '*' : f)), name.toLowerCase()].join('/');
  const split = folders.reduce<'train' | 'val' | null>((found, f) => SPLIT_FOLDERS[f] ?? found, null);
  if (roleFolder < 0)
    return suffix ? { role: 'mask', key: keyOf(suffix[1]), alias: null, split } : { role: 'image', key: keyOf(stem), alias: null, split };
  const role = MASK_FOLDERS.has(folders[roleFolder]) ? 'mask' : 'image';
  return { role, key: keyOf(stem), alias: role === 'mask' && suffix ? keyOf(suffix[1]) : null, split };
}

// Code-unit order, not the locale's: the same on every machine.
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The pairs found among an import's paths, and a problem for each file that is left out. */
export interface Pairing {
  pairs: FilePair[];
  problems: ImportProblem[];
}

/**
 * Pairs each image with its mask, the ways people export them: `name.png` + `name_mask.png` (or `-mask`, `_label`,
 * `_seg`, any case), or `images/name.png` + `masks/name.png` (or `labels/`, `annotations/`; the two folders side by
 * side, else a lone images/ or masks/ folder is just a folder and pairs by suffix), each optionally under a
 * `train/` or `val/` folder that fixes the pair's split. Image and mask may differ in extension. Hidden files and
 * OS junk are skipped silently; every other file that is left out is named in a problem. Pairs come sorted by name
 * so that a seeded split of them is the same wherever the files came from.
 */
export function pairFiles(paths: readonly string[]): Pairing {
  const problems: ImportProblem[] = [];
  const images = new Map<string, { path: string; split: 'train' | 'val' | null }>();
  const masks = new Map<string, string>();
  const aliases = new Map<string, string>();
  const roleFolders = roleFoldersOf(paths.filter((p) => !isIgnoredPath(p) && isImagePath(p)).map(normalizePath));
  for (const path of paths) {
    if (isIgnoredPath(path)) continue;
    if (!isImagePath(path)) {
      const ext = extensionOf(path);
      problems.push({
        file: path,
        message: `not an image (${ext ? `.${ext}` : 'no extension'}): an import reads ${IMAGE_EXTENSIONS.join(', ')}`,
        severity: 'error',
      });
      continue;
    }
    const { role, key, alias, split } = roleOf(normalizePath(path), roleFolders);
    const found = role === 'image' ? images.get(key)?.path : masks.get(key);
    if (found !== undefined) {
      problems.push({ file: path, message: `another ${role} has the same name (${found}): left out`, severity: 'error' });
    } else if (role === 'image') images.set(key, { path, split });
    else {
      masks.set(key, path);
      if (alias !== null && !aliases.has(alias)) aliases.set(alias, path);
    }
  }
  const pairs: FilePair[] = [];
  const used = new Set<string>();
  for (const [key, image] of images) {
    const mask = [masks.get(key), aliases.get(key)].find((m) => m !== undefined && !used.has(m));
    if (mask === undefined) {
      problems.push({
        file: image.path,
        message: 'an image without a mask (name_mask.png or masks/name.png): left out',
        severity: 'error',
      });
      continue;
    }
    used.add(mask);
    pairs.push({
      name: image.path.slice(0, image.path.length - extensionOf(image.path).length - 1),
      image: image.path,
      mask,
      split: image.split,
    });
  }
  for (const mask of masks.values()) {
    if (used.has(mask)) continue;
    problems.push({
      file: mask,
      message: 'a mask without an image (name.png beside name_mask.png, or images/name.png): left out',
      severity: 'error',
    });
  }
  pairs.sort((a, b) => byText(a.name, b.name));
  problems.sort((a, b) => byText(a.file, b.file));
  return { pairs, problems };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { createRng, type Rng } from '../src/random/prng';

// The example data set that public/examples/cells.json names: a few small made-up fluorescence images (bright
// nuclei on a dark, noisy background, as a microscope exports them) with their masks. Made here rather than cut
// from real data, so that the project ships nothing it did not make; `npm run example:data` writes them again.

const SIZE = 64;
const PAIRS = 8;
/** The last two pairs are the manifest's validation pairs (the "split" field); the others train. */
const VAL = 2;
export const OUT = 'public/examples';
const FOLDER = 'cells';

interface Nucleus {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
  brightness: number;
}

function nuclei(rng: Rng): Nucleus[] {
  return Array.from({ length: 3 + rng.int(5) }, () => ({
    cx: rng.uniform(6, SIZE - 6),
    cy: rng.uniform(6, SIZE - 6),
    rx: rng.uniform(4, 8),
    ry: rng.uniform(3, 6),
    angle: rng.uniform(0, Math.PI),
    brightness: rng.uniform(70, 190),
  }));
}

/** An ellipse's signed "radius" at a pixel: < 1 inside, 1 on its edge. */
function radius(n: Nucleus, x: number, y: number): number {
  const dx = x + 0.5 - n.cx;
  const dy = y + 0.5 - n.cy;
  const u = dx * Math.cos(n.angle) + dy * Math.sin(n.angle);
  const v = -dx * Math.sin(n.angle) + dy * Math.cos(n.angle);
  return Math.hypot(u / n.rx, v / n.ry);
}

/** One image (8-bit grey, mostly dark: raw microscopy needs the percentile scaling) and its 0/255 mask. */
export function examplePair(seed: number): { image: Uint8Array; mask: Uint8Array } {
  const rng = createRng(seed);
  const objects = nuclei(rng);
  const image = new Uint8Array(SIZE * SIZE);
  const mask = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let value = 12 + 4 * rng.normal();
      for (const n of objects) {
        const r = radius(n, x, y);
        // A soft edge (the optics blur it); the mask is where the nucleus is more than half as bright as its centre.
        value += n.brightness / (1 + Math.exp((r - 1) * 8));
        if (r < 1) mask[y * SIZE + x] = 255;
      }
      image[y * SIZE + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { image, mask };
}

const png = (data: Uint8Array) => encode({ width: SIZE, height: SIZE, data, channels: 1, depth: 8 });

/** Every file of the example, by its path under public/examples/: the images, their masks and the manifest. */
export function exampleFiles(): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>();
  const pairs = [];
  for (let i = 1; i <= PAIRS; i++) {
    const { image, mask } = examplePair(i);
    const name = `${FOLDER}/cell${i}`;
    files.set(`${name}.png`, png(image));
    files.set(`${name}_mask.png`, png(mask));
    pairs.push({ image: `${name}.png`, mask: `${name}_mask.png`, ...(i > PAIRS - VAL ? { split: 'val' } : {}) });
  }
  const manifest = {
    name: 'example-cells',
    description: `${PAIRS} made-up fluorescence images of ${SIZE} × ${SIZE} with their nucleus masks (scripts/exampleData.ts)`,
    pairs,
    settings: {
      steps: 300,
      data: { size: 32 },
      model: { outputPrior: 0.0001 },
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 1 },
      losses: [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'bce' }],
    },
  };
  files.set('cells.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** Writes the example images and the manifest that lists them. */
export async function main(): Promise<number> {
  await mkdir(join(OUT, FOLDER), { recursive: true });
  const files = exampleFiles();
  for (const [path, body] of files) await writeFile(join(OUT, path), body);
  console.error(`wrote ${PAIRS} pairs of ${SIZE} × ${SIZE} to ${OUT}/${FOLDER}/ and ${OUT}/cells.json`);
  return 0;
}

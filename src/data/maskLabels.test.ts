import { encode } from 'fast-png';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePng } from './decodePng';
import type { RawImage } from './importedData';
import { maskToLabels } from './maskLabels';

const grey = (values: number[], depth = 8): RawImage => ({
  width: values.length,
  height: 1,
  channels: 1,
  depth,
  data: depth === 16 ? Uint16Array.from(values) : Uint8Array.from(values),
});
const rgb = (pixels: number[][], channels = 3): RawImage => ({
  width: pixels.length,
  height: 1,
  channels,
  depth: 8,
  data: Uint8Array.from(pixels.flat()),
});
const labelsOf = (raw: RawImage, classes = 2, legend?: string[]) => Array.from(maskToLabels(raw, classes, legend).labels);

describe('maskToLabels', () => {
  it('reads one non-zero grey level as binary object, whatever the level', () => {
    for (const level of [1, 255, 37]) {
      const m = maskToLabels(grey([0, level, level, 0]), 2);
      expect(Array.from(m.labels)).toEqual([0, 1, 1, 0]);
      expect(m).toMatchObject({ kind: 'binary', classesFound: 2 });
    }
    expect(maskToLabels(grey([0, 0, 0]), 2)).toMatchObject({ kind: 'binary', classesFound: 2 });
  });

  it('reads several small grey levels as class indices, and a lone valid index as that class', () => {
    expect(maskToLabels(grey([0, 1, 2, 2]), 3)).toMatchObject({ kind: 'classIndex', classesFound: 3 });
    expect(labelsOf(grey([0, 1, 2, 2]), 3)).toEqual([0, 1, 2, 2]);
    expect(labelsOf(grey([0, 2, 2]), 3)).toEqual([0, 2, 2]);
  });

  it('gives grey levels painted far apart (0, 128, 255) a class each in order of level', () => {
    expect(labelsOf(grey([255, 0, 128, 255]), 3)).toEqual([2, 0, 1, 2]);
  });

  it('keeps one grey level → class map across masks: a level is the same class in every mask, a lone level included', () => {
    const first = maskToLabels(grey([0, 128, 255]), 4);
    expect(Array.from(first.labels)).toEqual([0, 1, 2]);
    expect(first.levels).toEqual([128, 255]);
    // A lone level the map names takes its class, not binary 1.
    const lone = maskToLabels(grey([0, 255, 255]), 4, [], first.levels);
    expect(Array.from(lone.labels)).toEqual([0, 2, 2]);
    expect(lone).toMatchObject({ kind: 'classIndex', classesFound: 3 });
    expect(lone.loneLevel).toBeUndefined();
    expect(maskToLabels(grey([128, 0]), 4, [], first.levels)).toMatchObject({ kind: 'binary', classesFound: 2 });
    // Known levels keep their class whatever their order; a new level follows them.
    const next = maskToLabels(grey([255, 64, 0]), 4, [], first.levels);
    expect(Array.from(next.labels)).toEqual([2, 3, 0]);
    expect(next.levels).toEqual([128, 255, 64]);
    expect(() => maskToLabels(grey([255, 64, 0]), 3, [], first.levels)).toThrow(
      'has 4 classes with the masks before it, the setting allows 3',
    );
    // A lone level no map names yet is binary, and says its level for the caller to settle later.
    expect(maskToLabels(grey([0, 200]), 4)).toMatchObject({ kind: 'binary', loneLevel: 200 });
  });

  it('reads a grey mask painted above 15 through a colour legend: white is its own colour', () => {
    const legend = ['#000000', '#ff0000'];
    const m = maskToLabels(grey([0, 255, 255]), 3, legend);
    expect(Array.from(m.labels)).toEqual([0, 2, 2]);
    expect(m).toMatchObject({ kind: 'colour', classesFound: 3, colours: ['#000000', '#ff0000', '#ffffff'] });
    const saved = rgb([
      [255, 255, 255],
      [0, 0, 0],
    ]);
    expect(labelsOf(saved, 3, m.colours)).toEqual([2, 0]);
    // Small levels stay class indices.
    expect(maskToLabels(grey([0, 1, 2]), 3, legend).kind).toBe('classIndex');
  });

  it('throws "has N classes, the setting allows M" for a mask with more classes than the setting', () => {
    expect(() => maskToLabels(grey([0, 1, 2]), 2)).toThrow('has 3 classes, the setting allows 2');
    expect(() => maskToLabels(grey([0, 1, 2, 3]), 3)).toThrow('has 4 classes, the setting allows 3');
    expect(() => maskToLabels(grey([0, 50, 100, 200]), 3)).toThrow('has 4 classes, the setting allows 3');
  });

  it('reads a 16-bit instance label map as binary: every label is object', () => {
    const m = maskToLabels(grey([0, 1, 183, 40000, 0], 16), 2);
    expect(Array.from(m.labels)).toEqual([0, 1, 1, 1, 0]);
    expect(m).toMatchObject({ kind: 'instance', classesFound: 2 });
    expect(maskToLabels(grey([0, 65535], 16), 3).kind).toBe('binary');
  });

  it('reads a 16-bit mask as class indices where the setting is above 2 and holds every label, else as instances', () => {
    const m = maskToLabels(grey([0, 1, 3, 2, 0], 16), 4);
    expect(Array.from(m.labels)).toEqual([0, 1, 3, 2, 0]);
    expect(m).toMatchObject({ kind: 'classIndex', classesFound: 4 });
    expect(maskToLabels(grey([0, 2, 2], 16), 3)).toMatchObject({ kind: 'classIndex', classesFound: 3 });
    // A label at or above the setting, or a setting of 2: instances, every label object.
    for (const classes of [3, 2]) {
      const instances = maskToLabels(grey([0, 1, 3, 2, 0], 16), classes);
      expect(Array.from(instances.labels)).toEqual([0, 1, 1, 1, 0]);
      expect(instances).toMatchObject({ kind: 'instance', classesFound: 2 });
    }
  });

  it('takes a palette PNG’s indices as classes, whatever colours the palette shows', () => {
    const palette = [
      [255, 255, 255],
      [10, 200, 30],
      [0, 0, 0],
    ];
    const raw = decodePng(encode({ width: 4, height: 1, data: Uint8Array.from([0, 2, 1, 2]), depth: 8, channels: 1, palette }));
    const m = maskToLabels(raw, 3);
    expect(Array.from(m.labels)).toEqual([0, 2, 1, 2]);
    expect(m).toMatchObject({ kind: 'palette', classesFound: 3 });
    expect(() => maskToLabels(raw, 2)).toThrow('has 3 classes, the setting allows 2');
  });

  it('gives each colour of an RGB mask a class, black background, with a legend in order of appearance', () => {
    const red = [255, 0, 0];
    const green = [0, 128, 0];
    const m = maskToLabels(rgb([[0, 0, 0], green, red, green]), 3);
    expect(Array.from(m.labels)).toEqual([0, 1, 2, 1]);
    expect(m).toMatchObject({ kind: 'colour', classesFound: 3, colours: ['#000000', '#008000', '#ff0000'] });
    // The next mask keeps the legend's classes, even where its colours come in another order.
    const next = maskToLabels(rgb([red, [0, 0, 0], green]), 3, m.colours);
    expect(Array.from(next.labels)).toEqual([2, 0, 1]);
    expect(next.colours).toEqual(m.colours);
    expect(() => maskToLabels(rgb([[0, 0, 255]]), 3, m.colours)).toThrow('has 4 classes with the masks before it, the setting allows 3');
  });

  it('reads a transparent RGBA pixel as background and a grey mask saved as RGB(A) as grey', () => {
    expect(
      labelsOf(
        rgb(
          [
            [9, 9, 9, 0],
            [255, 0, 0, 255],
          ],
          4,
        ),
      ),
    ).toEqual([0, 1]);
    const m = maskToLabels(
      rgb(
        [
          [0, 0, 0, 255],
          [255, 255, 255, 255],
        ],
        4,
      ),
      2,
    );
    expect(m.kind).toBe('binary');
    expect(Array.from(m.labels)).toEqual([0, 1]);
  });
});

const nuclei = '../shared/data/nuclei';
const haveNuclei = existsSync(nuclei);
if (!haveNuclei) console.info(`maskLabels.test: ${nuclei} is absent, so the real-mask tests are skipped`);

describe.skipIf(!haveNuclei)('maskToLabels on the real nuclei masks', () => {
  it('reads the 8-bit mask as binary and the 16-bit labels as instances, the same 20 % of pixels', () => {
    const mask = maskToLabels(decodePng(readFileSync(`${nuclei}/nuclei_mask.png`)), 2);
    const instances = maskToLabels(decodePng(readFileSync(`${nuclei}/nuclei_labels.png`)), 2);
    expect(mask.kind).toBe('binary');
    expect(instances.kind).toBe('instance');
    const share = mask.labels.reduce((s, v) => s + v, 0) / mask.labels.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(Buffer.from(instances.labels).equals(Buffer.from(mask.labels))).toBe(true);
  });
});

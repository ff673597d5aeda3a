import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_IDS, ARCHITECTURES, type GraphNode } from '../model/architectures';
import { convolutionsOf } from '../model/runGraph';
import { graphFuses, planGraph } from './fusedGraph';

const conv = (name: string) => ({ op: 'conv', name, kernel: 3, channels: 1 }) as const;
const head = { op: 'conv', name: 'head', kernel: 1, channels: 'out' } as const;

describe('an architecture graph as the fused step runs it', () => {
  it.each(ARCHITECTURE_IDS)('%s: every convolution is planned, the head reads nothing after it and every other is read', (depth) => {
    const graph = ARCHITECTURES[depth].graph;
    expect(graphFuses(graph)).toBe(true);
    const plan = planGraph(graph, 15, 15);
    expect(plan.length).toBe(convolutionsOf(graph).length);
    expect(plan.map((c) => c.relu)).toEqual(convolutionsOf(graph).map((c) => c.channels !== 'out'));
    expect(plan.at(-1)!.readers).toEqual([]);
    plan.slice(0, -1).forEach((c) => expect(c.readers.length).toBeGreaterThan(0));
    expect(plan[0].parts).toEqual([{ source: 'images', resample: 'same' }]);
  });

  it("the U-Net: the down path reads enc pooled at half size (odd sides round up), up reads down upsampled, then enc's channels", () => {
    const [enc, down, up, last] = planGraph(ARCHITECTURES.unet.graph, 15, 16);
    expect(down).toMatchObject({ height: 8, width: 8, parts: [{ source: 0, resample: 'pool' }] });
    expect(up).toMatchObject({
      height: 15,
      width: 16,
      parts: [
        { source: 1, resample: 'up' },
        { source: 0, resample: 'same' },
      ],
    });
    expect(enc.readers).toEqual([
      { conv: 1, part: 0 },
      { conv: 2, part: 1 },
    ]);
    expect(last.parts).toEqual([{ source: 2, resample: 'same' }]);
  });

  it.each<[string, GraphNode[]]>([
    ['a pooling of a pooling', [conv('a'), { op: 'pool' }, { op: 'pool' }, conv('b'), { op: 'upsample', to: 'a' }, head]],
    ['a concatenation of two sizes', [conv('a'), { op: 'pool' }, { op: 'concat', with: 'a' }, head]],
    ['logits at another size', [conv('a'), { op: 'pool' }, head]],
  ])('refuses %s', (_, graph) => {
    expect(graphFuses(graph)).toBe(false);
  });
});

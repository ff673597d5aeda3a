// An architecture graph (architectures.ts) as the fused step runs it: its convolutions only, each reading its input
// from earlier tensors through the graph's pooling, upsampling and concatenation (graphConvKernels.ts folds those
// into its reads), and each output's gradient gathered from the convolutions that read it (every convolution but
// the last is read by the node after it). A graph this cannot express (a resampling of a resampled tensor, a
// concatenation of different sizes, an output that is not the last convolution's at the images' size) is not fused
// (fusedGraphSupported).
import type { GraphNode } from '../model/architectures';
import type { Resample } from '../model/graphConvKernels';
import { runGraph } from '../model/runGraph';

/** A part of a convolution's input: the images, or convolution `source`'s output, read through `resample`. */
export interface PlannedPart {
  source: 'images' | number;
  resample: Resample;
}

/** A later convolution's input part that reads this one's output (its gradient comes back that way). */
export interface PlannedReader {
  conv: number;
  part: number;
}

export interface PlannedConv {
  relu: boolean;
  parts: PlannedPart[];
  /** Its output's size. */
  height: number;
  width: number;
  readers: PlannedReader[];
}

interface Value {
  parts: PlannedPart[];
  height: number;
  width: number;
}

const resampled = (x: Value, resample: Resample, height: number, width: number): Value => ({
  parts: x.parts.map((p) => {
    if (p.resample !== 'same') throw new Error('the fused step reads a tensor through one resampling at most');
    return { ...p, resample };
  }),
  height,
  width,
});

/** The graph's convolutions on images of height × width; throws where the fused step cannot run the graph. */
export function planGraph(graph: readonly GraphNode[], height: number, width: number): PlannedConv[] {
  const convs: PlannedConv[] = [];
  const out = runGraph<Value>(
    graph,
    { parts: [{ source: 'images', resample: 'same' }], height, width },
    {
      conv: (x, layer, relu) => {
        convs.push({ relu, parts: x.parts, height: x.height, width: x.width, readers: [] });
        return { parts: [{ source: layer, resample: 'same' }], height: x.height, width: x.width };
      },
      pool: (x) => resampled(x, 'pool', Math.ceil(x.height / 2), Math.ceil(x.width / 2)),
      upsample: (x, like) => resampled(x, 'up', like.height, like.width),
      concat: (x, skip) => {
        if (x.height !== skip.height || x.width !== skip.width) throw new Error('the fused step concatenates tensors of one size');
        return { ...x, parts: [...x.parts, ...skip.parts] };
      },
    },
  );
  const last = convs.length - 1;
  if (
    out.parts.length !== 1 ||
    out.parts[0].source !== last ||
    out.parts[0].resample !== 'same' ||
    out.height !== height ||
    out.width !== width
  ) {
    throw new Error("the fused step's logits are the last convolution's output, at the images' size");
  }
  convs.forEach((c, l) => c.parts.forEach((p, part) => typeof p.source === 'number' && convs[p.source].readers.push({ conv: l, part })));
  return convs;
}

/** Whether planGraph takes the graph. */
export function graphFuses(graph: readonly GraphNode[]): boolean {
  try {
    // Odd sides take the pooling's short windows: a graph whose sizes only agree for even ones is refused.
    planGraph(graph, 17, 17);
    return true;
  } catch {
    return false;
  }
}

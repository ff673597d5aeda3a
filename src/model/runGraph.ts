// An architecture's graph (architectures.ts) walked with the operations of one form of the net: tfjs on images
// (TinyNet, the landscape), tfjs on K weight sets at once (StackedNet), float64 arrays (the reference forward
// pass), or channel counts (the layer plan). Every form runs the steps in the graph's order.
import type { GraphNode } from './architectures';

export interface GraphOps<T> {
  /** Convolution `layer` (its index among the graph's convolutions), with a ReLU after it where `relu`. */
  conv(x: T, layer: number, relu: boolean): T;
  pool(x: T): T;
  /** `x` upsampled to the size of `like`. */
  upsample(x: T, like: T): T;
  /** `x`'s channels, then `skip`'s. */
  concat(x: T, skip: T): T;
}

/** The graph's output for `input`. */
export function runGraph<T>(graph: readonly GraphNode[], input: T, ops: GraphOps<T>): T {
  const outputs = new Map<string, T>();
  const outputOf = (name: string): T => {
    const out = outputs.get(name);
    if (out === undefined) throw new Error(`the graph reads convolution '${name}' before it runs`);
    return out;
  };
  let x = input;
  let layer = 0;
  for (const node of graph) {
    if (node.op === 'conv') {
      x = ops.conv(x, layer++, node.channels !== 'out');
      outputs.set(node.name, x);
    } else if (node.op === 'pool') x = ops.pool(x);
    else if (node.op === 'upsample') x = ops.upsample(x, outputOf(node.to));
    else x = ops.concat(x, outputOf(node.with));
  }
  return x;
}

/** The graph's convolutions, in the order `GraphOps.conv` numbers them. */
export const convolutionsOf = (graph: readonly GraphNode[]) =>
  graph.filter((n): n is Extract<GraphNode, { op: 'conv' }> => n.op === 'conv');

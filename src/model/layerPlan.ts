import { ARCHITECTURES, type ModelShape } from './architectures';
import { convolutionsOf, runGraph } from './runGraph';

// The net's layers as plain data, free of tfjs, so that the page can size a model it does not build.

/** [name, kernel size, input channels, output channels] of each convolution; `inChannels`: the images' channels. */
export function layerPlan(model: ModelShape, outChannels: number, inChannels = 1): [string, number, number, number][] {
  const graph = ARCHITECTURES[model.depth].graph;
  const convs = convolutionsOf(graph);
  const plan: [string, number, number, number][] = [];
  // The graph walked on channel counts, from the images'.
  runGraph(graph, inChannels, {
    conv: (cin, layer) => {
      const { name, kernel, channels } = convs[layer];
      const cout = channels === 'out' ? outChannels : channels * model.width;
      plan.push([name, kernel, cin, cout]);
      return cout;
    },
    pool: (c) => c,
    upsample: (c) => c,
    concat: (c, skip) => c + skip,
  });
  return plan;
}

/** How many parameters a model of these settings has, without drawing its weights. */
export function parameterCountOf(model: ModelShape, outChannels: number, inChannels = 1): number {
  return layerPlan(model, outChannels, inChannels).reduce((n, [, k, cin, cout]) => n + k * k * cin * cout + cout, 0);
}

import type { ModelConfig } from '../config/experimentConfig';

// The net's layers as plain data, free of tfjs, so that the page can size a model it does not build.

/** [name, kernel size, input channels, output channels] of each convolution. */
export function layerPlan(cfg: ModelConfig, outChannels: number): [string, number, number, number][] {
  const w = cfg.width;
  if (cfg.depth === 'unet') {
    return [
      ['enc', 3, 1, w],
      ['down', 3, w, 2 * w],
      ['up', 3, 3 * w, w],
      ['head', 1, w, outChannels],
    ];
  }
  return [
    ['conv1', 3, 1, w],
    ['conv2', 3, w, w],
    ['head', 1, w, outChannels],
  ];
}

/** How many parameters a model of these settings has, without drawing its weights. */
export function parameterCountOf(cfg: ModelConfig, outChannels: number): number {
  return layerPlan(cfg, outChannels).reduce((n, [, k, cin, cout]) => n + k * k * cin * cout + cout, 0);
}

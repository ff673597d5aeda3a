// Every architecture the tiny net can take, each declared once as a small layer graph. TinyNet and StackedNet
// (tfjs), the landscape's forward pass, the float64 reference forward pass (runGraph.ts walks the graph for each),
// the parameter count (layerPlan.ts), the memory estimate and the fused step's plan (train/fusedGraph.ts) all read
// these entries, and the `depth` setting offers their keys. A new architecture is one entry here.

/** One step of a graph; each takes the previous step's output (the first, the grey images: one channel). */
export type GraphNode =
  /**
   * A 'same' convolution, `kernel` × `kernel`, with `channels` × the width setting out and a ReLU after it; the
   * head (`channels: 'out'`) gives the logits (one channel for binary data, else one a class), with no ReLU and
   * its bias at the output prior. Its `name` labels its gradient norm in the charts and the results files.
   */
  | { op: 'conv'; name: string; kernel: number; channels: number | 'out' }
  /** 2 × 2 max pooling, stride 2, 'same' padding (an odd side rounds up). */
  | { op: 'pool' }
  /** Nearest-neighbour upsampling to the size of convolution `to`'s output. */
  | { op: 'upsample'; to: string }
  /** The previous output's channels, then those of convolution `with`'s output (a skip connection). */
  | { op: 'concat'; with: string };

export interface Architecture {
  /** What the settings' help says of it. */
  about: string;
  graph: readonly GraphNode[];
  /**
   * Float32 values a training step (forward values kept for the backward pass, their gradients, the convolutions'
   * intermediates) and a forward-only evaluation hold per pixel of an image per unit of width, fitted to the wasm
   * heap `npm run bench:memory` measures and rounded up (memoryEstimate.ts).
   */
  activations: { train: number; evaluate: number };
}

const conv = (name: string, channels: number) => ({ op: 'conv', name, kernel: 3, channels }) as const;
const head = { op: 'conv', name: 'head', kernel: 1, channels: 'out' } as const;

export const ARCHITECTURES = {
  shallow: {
    about: 'conv3×3–conv3×3–conv1×1',
    graph: [conv('conv1', 1), conv('conv2', 1), head],
    activations: { train: 26, evaluate: 8 },
  },
  unet: {
    about: 'one down/up level with a skip connection',
    graph: [
      conv('enc', 1),
      { op: 'pool' },
      conv('down', 2),
      { op: 'upsample', to: 'enc' },
      { op: 'concat', with: 'enc' },
      conv('up', 1),
      head,
    ],
    activations: { train: 52, evaluate: 16 },
  },
  // shallow's figures are 13 and 4 values per hidden convolution, so deep's four take twice its two. Per run (a
  // race's K runs hold theirs at once), bench:memory measured on wasm in Node at batch 16, width 16, 64 px: shallow
  // 20 values (heap) and 17 (tensors' peak) for K = 6, the U-Net 39 and 35: the figures keep a quarter's margin.
  deep: {
    about: 'four conv3×3, then conv1×1',
    graph: [conv('conv1', 1), conv('conv2', 1), conv('conv3', 1), conv('conv4', 1), head],
    activations: { train: 52, evaluate: 16 },
  },
} as const satisfies Record<string, Architecture>;

export type ArchitectureId = keyof typeof ARCHITECTURES;

/** The architectures' ids, in the order the settings offer them. */
export const ARCHITECTURE_IDS = Object.keys(ARCHITECTURES) as ArchitectureId[];

/** What the model code needs of the settings (experimentConfig.ts's ModelConfig has these fields). */
export interface ModelShape {
  depth: ArchitectureId;
  width: number;
}

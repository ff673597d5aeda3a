// An image set on the device: images [N, H, W, channels] and targets in the losses' layout.
import { tf, type Tensor, type Tensor4D } from '../tf';
import type { ImageSet } from '../data/synthetic';

export interface SetTensors {
  x: Tensor4D;
  targets: Tensor;
}

export function toTensors(set: ImageSet, size: number, classes: number): SetTensors {
  // Binary targets as 0/1 floats written from JS: a cast on the device may keep the int buffer under a float
  // tensor (webgpu shares it), which the kernels of our own would read as ints.
  return {
    x: tf.tensor4d(set.images, [set.count, size, size, set.channels]),
    targets:
      classes === 2
        ? tf.tensor4d(
            Float32Array.from(set.labels, (l) => (l > 0 ? 1 : 0)),
            [set.count, size, size, 1],
          )
        : tf.tensor3d(Int32Array.from(set.labels), [set.count, size, size], 'int32'),
  };
}

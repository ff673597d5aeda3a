// Nearest-neighbour upsampling (the U-Net's way back up) whose gradient is right on every backend:
// tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad offsets dy by the input's batch stride instead of dy's, so every
// image after the first of a batch gets the gradient of other pixels. On cpu the gradient is taken one image at a
// time (where that stride is never used); the other backends' kernels are right (upsample.test.ts).
import { customGrad, tf, type Tensor, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';

/** x [N, h, w, C] to [N, H, W, C], each output pixel the input pixel it falls in. */
export function upsampleNearest(x: Tensor4D, size: [number, number]): Tensor4D {
  if (backendCapabilities().batchedResizeGradient || x.shape[0] === 1) return tf.image.resizeNearestNeighbor(x, size);
  return customGrad(([input]: [Tensor4D], save) => {
    save([input]);
    return {
      value: tf.image.resizeNearestNeighbor(input, size),
      gradFunc: (dy: Tensor, [images]: Tensor[]) => {
        const one = (t: Tensor) => tf.split(t, t.shape[0], 0);
        const [xs, dys] = [one(images), one(dy)];
        const attrs = { alignCorners: false, halfPixelCenters: false };
        return tf.concat(
          xs.map((image, i) => tf.engine().runKernel('ResizeNearestNeighborGrad', { images: image, dy: dys[i] }, attrs) as Tensor),
        );
      },
    };
  })(x) as Tensor4D;
}

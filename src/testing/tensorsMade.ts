import { tf } from '../tf';

/**
 * How many tensors are made from JS values while `f` runs (tf.tensor, tf.scalar, a JS number as an operand; not
 * kernel outputs): on webgpu each is a buffer created and uploaded. The bench and the tests count them.
 */
export async function tensorsMadeDuring(f: () => unknown): Promise<number> {
  const engine = tf.engine() as unknown as { makeTensor: (...args: unknown[]) => unknown };
  const makeTensor = engine.makeTensor;
  let made = 0;
  engine.makeTensor = function (this: unknown, ...args: unknown[]) {
    made++;
    return makeTensor.apply(this, args);
  };
  try {
    await f();
  } finally {
    engine.makeTensor = makeTensor;
  }
  return made;
}

import { tf, type Scalar } from '../tf';
import type { ComboSpec, LossFn } from './types';

/** A weighted sum of losses, e.g. CE + 1·(−log IoU); `build` turns each term's spec into its function. */
export function combo(spec: ComboSpec, build: (term: ComboSpec['terms'][number]['loss']) => LossFn): LossFn {
  const terms = spec.terms.map((t) => ({ weight: t.weight, fn: build(t.loss) }));
  return (logits, targets) =>
    tf.tidy(() => terms.reduce<Scalar>((acc, t) => tf.add(acc, tf.mul(t.fn(logits, targets), t.weight)), tf.scalar(0)));
}

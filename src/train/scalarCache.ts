import { tf, type Scalar, type ScalarSource } from '../tf';

/**
 * A race's kept scalar tensors, one per value its steps use as an operand (the code's constants, the loss options,
 * the optimiser settings): made once, used by every step, freed with the race. Values that change every step
 * (Adam's bias corrections) must not come here: the cache would grow with them.
 */
export class ScalarCache implements ScalarSource {
  private readonly kept = new Map<number, Scalar>();

  of(value: number): Scalar {
    let s = this.kept.get(value);
    if (!s) {
      s = tf.keep(tf.scalar(value));
      this.kept.set(value, s);
    }
    return s;
  }

  get size(): number {
    return this.kept.size;
  }

  dispose(): void {
    tf.dispose([...this.kept.values()]);
    this.kept.clear();
  }
}

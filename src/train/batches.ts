import { createRng, deriveSeed, permutation, type Rng } from '../random/prng';

/**
 * Batch order: a fresh seeded shuffle of the training set every epoch, batches taken in order (the last,
 * incomplete one is dropped). Every run of a race draws from the same sampler, so all see the same batches.
 */
export class BatchSampler {
  private rng: Rng;
  private order: Int32Array;
  private position = 0;
  /** Batches handed out since the start: a checkpoint's whole record of the sampler. */
  private drawn = 0;

  constructor(
    private readonly count: number,
    private readonly batchSize: number,
    private readonly seed: number,
  ) {
    this.rng = createRng(deriveSeed(seed, 'batches'));
    this.order = permutation(count, this.rng);
  }

  next(): Int32Array {
    if (this.position + this.batchSize > this.count) {
      this.order = permutation(this.count, this.rng);
      this.position = 0;
    }
    const batch = this.order.slice(this.position, this.position + this.batchSize);
    this.position += this.batchSize;
    this.drawn++;
    return batch;
  }

  reset(): void {
    this.rng = createRng(deriveSeed(this.seed, 'batches'));
    this.order = permutation(this.count, this.rng);
    this.position = 0;
    this.drawn = 0;
  }

  get batchesDrawn(): number {
    return this.drawn;
  }

  /** Back to the start, then `batches` batches drawn: the state a checkpoint recorded (drawing is cheap). */
  seek(batches: number): void {
    this.reset();
    for (let i = 0; i < batches; i++) this.next();
  }
}

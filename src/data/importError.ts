/** An import that cannot go on at all (too many files, nothing left to train on); the message says why. */
export class ImportError extends Error {
  override name = 'ImportError';
}

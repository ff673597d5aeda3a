// A data set's name: what `data=local:NAME` writes in an address, what the browser stores the files under, and
// what a manifest calls its data. Plain enough to read in a link without escapes, short enough for a tab's width.

export const MAX_DATASET_NAME = 64;

const NAME_CHARS = /^[A-Za-z0-9 _.-]+$/;

/** Why `name` cannot name a data set (empty, too long, other characters), or null when it can. */
export function datasetNameProblem(name: string): string | null {
  if (name.trim() === '') return 'a data set needs a name';
  if (name !== name.trim()) return 'a data set name cannot start or end with a space';
  if (name.length > MAX_DATASET_NAME) return `a data set name has at most ${MAX_DATASET_NAME} characters (this one has ${name.length})`;
  if (!NAME_CHARS.test(name)) return 'a data set name has only letters, digits, spaces and _ - .';
  return null;
}

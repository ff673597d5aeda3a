import { defaultLosses, taskOf, type ExperimentConfig } from '../../src/config/experimentConfig';
import type { ImportedDataset } from '../../src/data/importedData';

// An import decides what the net takes in and puts out: its images' channels are the first layer's inputs, its
// masks' classes the last layer's outputs. The settings follow it, and the reader is told. The classes setting is
// also the import's limit (a mask with more is left out), so an import never finds more classes than it; a new data
// set with fewer lowers it, while the same data imported again under a higher setting keeps the reader's choice
// (a reader raising it to import masks of more classes would otherwise see it fall back at once).

/** The fewest classes a race has: background and one object, even when every mask is empty. */
const MIN_CLASSES = 2;

const classesOf = (imported: ImportedDataset) => Math.max(MIN_CLASSES, imported.classes);

/**
 * The settings with the import's channels and, for a new data set (`fresh`), its classes; the losses go back to the
 * task's defaults when the task changes.
 */
export function followImport(config: ExperimentConfig, imported: ImportedDataset, fresh = true): ExperimentConfig {
  const classes = fresh ? classesOf(imported) : Math.max(config.data.classes, classesOf(imported));
  if (config.data.channels === imported.channels && config.data.classes === classes) return config;
  const next = { ...config, data: { ...config.data, channels: imported.channels, classes } };
  if (taskOf(classes) !== taskOf(config.data.classes)) next.losses = defaultLosses(classes);
  return next;
}

/** What following the import changed, in a sentence (null when nothing did). */
export function followNotice(before: ExperimentConfig, imported: ImportedDataset, fresh = true): string | null {
  const after = followImport(before, imported, fresh);
  const said: string[] = [];
  if (after.data.channels !== before.data.channels)
    said.push(
      after.data.channels === 3
        ? `${imported.name} has colour images, so the net takes 3 input channels`
        : `${imported.name} has grey images, so the net takes 1 input channel`,
    );
  if (after.data.classes !== before.data.classes) {
    const losses =
      after.losses !== before.losses
        ? ` and the race the ${taskOf(after.data.classes) === 'binary' ? 'binary' : 'multi-class'} losses`
        : '';
    said.push(
      `${said.length ? 'its' : `${imported.name}’s`} masks have ${after.data.classes} classes (background included), so the classes setting is ${after.data.classes}${losses}`,
    );
  }
  return said.length === 0 ? null : `${said.join('; ')}.`;
}

/** Whether the settings already follow the import: a race built now trains on what it was imported as. */
export const followsImport = (config: ExperimentConfig, imported: ImportedDataset): boolean =>
  followImport(config, imported, false) === config;

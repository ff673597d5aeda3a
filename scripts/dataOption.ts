import { basename, resolve } from 'node:path';
import { parseExperimentConfig, type ExperimentConfig } from '../src/config/experimentConfig';
import { ConfigError } from '../src/schema/schema';
import type { Dataset } from '../src/data/synthetic';
import type { ImportedDataset, ImportProblem } from '../src/data/importedData';
import { ImportError } from '../src/data/importError';
import { importDataset } from '../src/data/importDataset';
import { prepareDataset } from '../src/data/prepareDataset';
import { summarize } from '../src/data/datasetSummary';
import { readDataDir } from './readDataDir';
import { nodeDecoder } from './nodeDecoder';
import { readConfigFile } from './configFile';

/** A race's config and images on a folder of one's own images: the CLIs' `--data DIR`. */
export interface DirData {
  config: ExperimentConfig;
  dataset: Dataset;
  imported: ImportedDataset;
}

/** The name `dir:NAME` records: the folder's own name (`tiles` for ../shared/data/nuclei/tiles). */
const dirName = (dir: string): string => basename(resolve(dir));

const percent = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 1 : 0)} %`;

/** The import in one line, as the page's summary table states it. */
function summaryLine(imported: ImportedDataset): string {
  const s = summarize(imported);
  const size = (wh: readonly [number, number]) => `${wh[0]} × ${wh[1]}`;
  const sizes = size(s.minSize) === size(s.maxSize) ? size(s.minSize) : `${size(s.minSize)} to ${size(s.maxSize)}`;
  const folders = s.train + s.val > 0 ? `${s.train} train and ${s.val} val by folder, ${s.unsplit} split by seed` : 'split by seed';
  return (
    `data ${imported.name}: ${s.pairs} pairs (${folders}), ${sizes}, ${s.channels === 1 ? 'grey' : 'colour'}, ` +
    `${s.classes} classes (${s.maskKind} masks), foreground ${percent(s.foreground)}, empty masks ${percent(s.emptyShare)}`
  );
}

const problemLine = (p: ImportProblem) => `${p.severity}: ${p.file}: ${p.message}`;

/**
 * Reads, imports and prepares `dir` for a race on `config` (its classes the import's limit, its scaling the
 * intensities'), printing the summary and every problem through `log` (the CLIs' stderr). The returned config
 * records the source (`dir:NAME`) and takes its input channels and classes from the images, as the page's import
 * does. An ImportError (no folder, over the limits, nothing left to train on) comes back as its message.
 */
export async function loadDataDir(dir: string, config: ExperimentConfig, log: (line: string) => void): Promise<DirData | string> {
  try {
    const name = dirName(dir);
    const files = await readDataDir(dir);
    const imported = await importDataset(files, { name, classes: config.data.classes, scaling: config.data.scaling, decode: nodeDecoder });
    log(summaryLine(imported));
    for (const p of imported.problems) log(problemLine(p));
    // Checked again as a whole: the config's losses must suit the task the masks make (binary or multi-class).
    const prepared = parseExperimentConfig({
      ...config,
      data: { ...config.data, source: `dir:${name}`, channels: imported.channels, classes: imported.classes },
    });
    const { dataset, problems } = prepareDataset(imported, prepared.data, prepared.seed);
    for (const p of problems) log(problemLine(p));
    const { size, crop } = prepared.data;
    log(
      `race sets: ${dataset.train.count} training and ${dataset.val.count} validation images of ${size} × ${size} ` +
        (crop === 'crop' ? '(random crops; grid tiles of the validation files)' : '(each file resized)'),
    );
    return { config: prepared, dataset, imported };
  } catch (e) {
    if (e instanceof ImportError) return `--data ${dir}: ${e.message}`;
    if (e instanceof ConfigError) return `--data ${dir}: with these masks the config does not hold: ${e.message}`;
    throw e;
  }
}

/**
 * What a CLI builds its race from: the config file, and with `--data DIR` the folder's images (otherwise the race
 * makes the config's synthetic shapes); or the message to print before exiting 2.
 */
export async function readRaceInput(
  configFile: string,
  dataDir: string | undefined,
  log: (line: string) => void,
): Promise<{ config: ExperimentConfig; dataset?: Dataset } | string> {
  const config = await readConfigFile(configFile);
  if (typeof config === 'string') return config;
  return dataDir === undefined ? { config } : loadDataDir(dataDir, config, log);
}

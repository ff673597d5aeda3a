import { taskOf } from '../domain/task';
import { LossConfigError } from '../losses/errors';
import type { LossInput, LossSpec } from '../losses/lossDefinition';
import { defaultRace } from '../losses/lesson';
import { resolveLoss, wrongTaskWithin } from '../losses/registry';
import { ARCHITECTURE_IDS, ARCHITECTURES } from '../model/architectures';
import { ConfigError, parseFields, type Field, type Infer } from '../schema/schema';

/**
 * The one schema of an experiment: the CLI reads it from JSON, the app keeps its state in it, the worker
 * trains from it. Every field has a range and a default; a bad field is a ConfigError naming it. `url` is a
 * field's short name in the explorer's links.
 */
export const MAX_LOSSES = 6;

export const TOP_FIELDS = [
  {
    key: 'seed',
    label: 'seed',
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    default: 1,
    help: 'Seeds the images, the weights and the batch order.',
  },
  { key: 'steps', label: 'steps', kind: 'int', min: 1, max: 1_000_000, default: 300, help: 'Training steps (the CLI stops there).' },
  { key: 'batchSize', url: 'batch', label: 'batch size', kind: 'int', min: 1, max: 64, default: 8, help: 'Images per step.' },
  {
    key: 'evalEvery',
    url: 'eval',
    label: 'evaluate every',
    kind: 'int',
    min: 1,
    max: 100_000,
    default: 25,
    help: 'Steps between validation evaluations.',
  },
] as const satisfies readonly Field[];

/** The longest data source a setting holds: a manifest's address fits, a pasted data set does not. */
export const MAX_SOURCE_LENGTH = 2000;

export const DATA_FIELDS = [
  {
    key: 'source',
    url: 'data',
    label: 'data source',
    kind: 'text',
    maxLength: MAX_SOURCE_LENGTH,
    default: 'synthetic',
    help: 'synthetic: seeded shapes; local:NAME: images imported into this browser; a manifest JSON’s address; dir:NAME (the CLI’s --data).',
  },
  {
    key: 'channels',
    label: 'input channels',
    kind: 'int',
    min: 1,
    max: 3,
    default: 1,
    advanced: true,
    help: '1: grey; 3: colour. An import sets it from its images; synthetic shapes repeat their grey level.',
  },
  {
    key: 'shape',
    label: 'shapes',
    syntheticOnly: true,
    kind: 'enum',
    options: ['disks', 'squares', 'bars', 'mixed'],
    default: 'disks',
    help: 'Objects in the images; thin bars (1–2 px) are where IoU is fragile.',
  },
  {
    key: 'classes',
    label: 'classes',
    kind: 'int',
    min: 2,
    max: 3,
    default: 2,
    help: '2: binary (object vs background); 3: background, disks, squares (softmax).',
  },
  {
    key: 'size',
    label: 'image size',
    kind: 'int',
    min: 16,
    max: 64,
    default: 32,
    help: 'Width and height in pixels (of the crops or resized images of imported data).',
  },
  {
    key: 'foreground',
    url: 'fg',
    syntheticOnly: true,
    label: 'foreground fraction',
    kind: 'number',
    min: 0.01,
    max: 0.5,
    default: 0.06,
    help: 'Target share of object pixels in a non-empty image.',
  },
  {
    key: 'empty',
    label: 'empty images',
    syntheticOnly: true,
    kind: 'number',
    min: 0,
    max: 0.9,
    default: 0,
    help: 'Share of images with no object at all.',
  },
  {
    key: 'noise',
    label: 'noise',
    syntheticOnly: true,
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.25,
    help: 'Standard deviation of the Gaussian pixel noise.',
  },
  {
    key: 'contrast',
    label: 'contrast',
    syntheticOnly: true,
    kind: 'number',
    min: 0.05,
    max: 1,
    default: 0.6,
    help: 'Brightness of objects above the 0.2 background.',
  },
  {
    key: 'train',
    label: 'training images',
    kind: 'int',
    min: 8,
    max: 2048,
    default: 256,
    help: 'Size of the fixed training set (for imported data: the number of crops).',
  },
  {
    key: 'val',
    label: 'validation images',
    kind: 'int',
    min: 4,
    max: 512,
    default: 64,
    help: 'Size of the fixed validation set (for imported data: at most this many tiles).',
  },
  {
    key: 'crop',
    label: 'fit to size',
    kind: 'enum',
    options: ['crop', 'resize'],
    default: 'crop',
    help: 'Imported images larger than the image size: seeded random crops (tiles for validation), or each resized.',
  },
  {
    key: 'scaling',
    label: 'intensity scaling',
    kind: 'enum',
    options: ['dataset', 'image', 'none'],
    default: 'dataset',
    help: 'dataset: 1st/99.8th percentiles of all images together (tiles of one field); image: per image (images from different instruments); none: raw values over the bit depth.',
  },
  {
    key: 'valShare',
    url: 'vshare',
    label: 'validation share',
    kind: 'number',
    min: 0.05,
    max: 0.5,
    default: 0.2,
    help: 'Share of the imported files held out for validation where no train/ and val/ folders say.',
  },
] as const satisfies readonly Field[];

export const MODEL_FIELDS = [
  { key: 'width', label: 'width', kind: 'int', min: 4, max: 32, default: 8, help: 'Channels of the hidden convolutions.' },
  {
    key: 'depth',
    label: 'depth',
    kind: 'enum',
    options: ARCHITECTURE_IDS,
    default: 'shallow',
    help: `${ARCHITECTURE_IDS.map((id) => `${id}: ${ARCHITECTURES[id].about}`).join('; ')}.`,
  },
  {
    key: 'outputPrior',
    url: 'prior',
    label: 'output prior p₀',
    kind: 'number',
    min: 1e-6,
    max: 0.999999,
    default: 0.5,
    scale: 'log',
    help: 'Foreground probability the untrained net predicts everywhere; 3e-4 is the collapsed start.',
  },
] as const satisfies readonly Field[];

export const OPTIMIZER_FIELDS = [
  {
    key: 'name',
    url: 'opt',
    label: 'optimiser',
    kind: 'enum',
    options: ['sgd', 'adam'],
    default: 'sgd',
    help: 'SGD with momentum, or Adam.',
  },
  { key: 'lr', label: 'learning rate', kind: 'number', min: 1e-5, max: 100, default: 0.1, scale: 'log', live: true, help: 'Step size.' },
  {
    key: 'momentum',
    url: 'mom',
    label: 'momentum',
    kind: 'number',
    min: 0,
    max: 0.999,
    default: 0.9,
    live: true,
    help: 'SGD momentum (PyTorch convention).',
  },
  { key: 'beta1', label: 'β₁', kind: 'number', min: 0, max: 0.9999, default: 0.9, live: true, help: 'Adam’s first-moment decay.' },
  { key: 'beta2', label: 'β₂', kind: 'number', min: 0, max: 0.99999, default: 0.999, live: true, help: 'Adam’s second-moment decay.' },
  {
    key: 'clipNorm',
    url: 'clip',
    label: 'clip global norm',
    kind: 'nullableNumber',
    min: 0.001,
    max: 1000,
    default: null,
    live: true,
    help: 'Rescales the gradient when its global norm exceeds this; null turns clipping off.',
  },
] as const satisfies readonly Field[];

export type DataConfig = Infer<typeof DATA_FIELDS>;
export type ModelConfig = Infer<typeof MODEL_FIELDS>;
export type OptimizerConfig = Infer<typeof OPTIMIZER_FIELDS>;

type OptimizerField = (typeof OPTIMIZER_FIELDS)[number];
type LiveField = Extract<OptimizerField, { live: true }>;

/** The optimiser settings a race takes while it runs (the fields marked `live`); the others make a new race. */
export type LiveOptimizerSettings = Pick<OptimizerConfig, LiveField['key']>;

/** Whether a setting applies to a race under way (see Field's `live`). */
export const isLiveField = (f: Field): boolean => f.live === true;

const isLive = (f: OptimizerField): f is LiveField => isLiveField(f);

/** The live part of optimiser settings, which a race under way takes (Race.setOptimizer). */
export const liveSettingsOf = (o: OptimizerConfig): LiveOptimizerSettings =>
  Object.fromEntries(OPTIMIZER_FIELDS.filter(isLive).map((f) => [f.key, o[f.key]])) as LiveOptimizerSettings;

/** The rest, which a race is built with (part of its identity). */
const fixedSettingsOf = (o: OptimizerConfig) =>
  Object.fromEntries(OPTIMIZER_FIELDS.filter((f) => !isLive(f)).map((f) => [f.key, o[f.key]]));

export type ExperimentConfig = Infer<typeof TOP_FIELDS> & {
  data: DataConfig;
  model: ModelConfig;
  optimizer: OptimizerConfig;
  losses: LossSpec[];
};

/** What a config file (or a scenario) writes: any subset of the settings; the parser fills the rest. */
export type ExperimentInput = Partial<Infer<typeof TOP_FIELDS>> & {
  data?: Partial<DataConfig>;
  model?: Partial<ModelConfig>;
  optimizer?: Partial<OptimizerConfig>;
  losses?: LossInput[];
};

/** The sections of an experiment and their fields, in the order the explorer lists them. */
export const SECTIONS = { top: TOP_FIELDS, data: DATA_FIELDS, model: MODEL_FIELDS, optimizer: OPTIMIZER_FIELDS } as const;

export { taskOf };

/** The default losses of a data set with this many classes. */
export function defaultLosses(classes: number): LossSpec[] {
  return defaultRace(taskOf(classes)).map((l) => resolveLoss(l));
}

/** Resolves a loss of an experiment and checks that it (and every term of it) suits the data's task. */
export function resolveExperimentLoss(input: unknown, classes: number, path: string): LossSpec {
  const spec = resolveLoss(input, path);
  const wrong = wrongTaskWithin(spec, taskOf(classes), path);
  if (wrong)
    throw new LossConfigError(`${wrong.path}.id: ${wrong.def.id} is for ${wrong.def.tasks.join('/')} data, but data.classes is ${classes}`);
  return spec;
}

/**
 * The part of a config that makes a race (its data, weights, losses, optimiser kind) as a string: two configs with
 * the same identity train the same nets; the rest (the optimiser fields marked `live`) applies to a race under way.
 */
export function raceIdentity(c: ExperimentConfig): string {
  return JSON.stringify({
    seed: c.seed,
    batchSize: c.batchSize,
    evalEvery: c.evalEvery,
    data: c.data,
    model: c.model,
    optimizer: fixedSettingsOf(c.optimizer),
    losses: c.losses,
  });
}

/** Validates a config object (e.g. parsed JSON) and fills every default. */
export function parseExperimentConfig(input: unknown): ExperimentConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError('config: expected a JSON object');
  const raw = input as Record<string, unknown>;
  const top = parseFields(TOP_FIELDS, raw, '', ConfigError, ['data', 'model', 'optimizer', 'losses']);
  const data = parseFields(DATA_FIELDS, raw.data, 'data');
  const model = parseFields(MODEL_FIELDS, raw.model, 'model');
  const optimizer = parseFields(OPTIMIZER_FIELDS, raw.optimizer, 'optimizer');
  if (top.batchSize > data.train)
    throw new ConfigError(`batchSize: ${top.batchSize} is larger than the training set (data.train = ${data.train})`);
  if (raw.losses === undefined) return { ...top, data, model, optimizer, losses: defaultLosses(data.classes) };
  if (!Array.isArray(raw.losses) || raw.losses.length < 1 || raw.losses.length > MAX_LOSSES) {
    throw new ConfigError(`losses: expected a list of 1 to ${MAX_LOSSES} losses, e.g. [{ "id": "bce" }]`);
  }
  const losses = raw.losses.map((l, i) => resolveExperimentLoss(l, data.classes, `losses[${i}]`));
  return { ...top, data, model, optimizer, losses };
}

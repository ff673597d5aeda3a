import { checkParam, ConfigError, type ParamDef } from '../losses/params';
import { lossInfo, resolveLoss } from '../losses/registry';
import type { LossInput, LossSpec } from '../losses/types';

/**
 * The one schema of an experiment: the CLI reads it from JSON, the app keeps its state in it, the worker
 * trains from it. Every field has a range and a default; a bad field is a ConfigError naming it.
 */
export interface DataConfig {
  shape: 'disks' | 'squares' | 'bars' | 'mixed';
  classes: number;
  size: number;
  foreground: number;
  empty: number;
  noise: number;
  contrast: number;
  train: number;
  val: number;
}
export interface ModelConfig {
  width: number;
  depth: 'shallow' | 'unet';
  outputPrior: number;
}
export interface OptimizerConfig {
  name: 'sgd' | 'adam';
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  /** Global gradient-norm clipping; null is off. */
  clipNorm: number | null;
}
export interface ExperimentConfig {
  seed: number;
  steps: number;
  batchSize: number;
  evalEvery: number;
  data: DataConfig;
  model: ModelConfig;
  optimizer: OptimizerConfig;
  losses: LossSpec[];
}

export const MAX_LOSSES = 6;

export const TOP_FIELDS: readonly ParamDef[] = [
  { key: 'seed', label: 'seed', kind: 'int', min: 0, max: 2 ** 31 - 1, default: 1, help: 'Seeds the images, the weights and the batch order.' },
  { key: 'steps', label: 'steps', kind: 'int', min: 1, max: 1_000_000, default: 300, help: 'Training steps (the CLI stops there).' },
  { key: 'batchSize', label: 'batch size', kind: 'int', min: 1, max: 64, default: 8, help: 'Images per step.' },
  { key: 'evalEvery', label: 'evaluate every', kind: 'int', min: 1, max: 100_000, default: 25, help: 'Steps between validation evaluations.' },
];

export const DATA_FIELDS: readonly ParamDef[] = [
  { key: 'shape', label: 'shapes', kind: 'enum', options: ['disks', 'squares', 'bars', 'mixed'], default: 'disks',
    help: 'Objects in the images; thin bars (1–2 px) are where IoU is fragile.' },
  { key: 'classes', label: 'classes', kind: 'int', min: 2, max: 3, default: 2,
    help: '2: binary (object vs background); 3: background, disks, squares (softmax).' },
  { key: 'size', label: 'image size', kind: 'int', min: 16, max: 64, default: 32, help: 'Width and height in pixels.' },
  { key: 'foreground', label: 'foreground fraction', kind: 'number', min: 0.01, max: 0.5, default: 0.06,
    help: 'Target share of object pixels in a non-empty image.' },
  { key: 'empty', label: 'empty images', kind: 'number', min: 0, max: 0.9, default: 0, help: 'Share of images with no object at all.' },
  { key: 'noise', label: 'noise', kind: 'number', min: 0, max: 1, default: 0.25, help: 'Standard deviation of the Gaussian pixel noise.' },
  { key: 'contrast', label: 'contrast', kind: 'number', min: 0.05, max: 1, default: 0.6, help: 'Brightness of objects above the 0.2 background.' },
  { key: 'train', label: 'training images', kind: 'int', min: 8, max: 2048, default: 256, help: 'Size of the fixed training set.' },
  { key: 'val', label: 'validation images', kind: 'int', min: 4, max: 512, default: 64, help: 'Size of the fixed validation set.' },
];

export const MODEL_FIELDS: readonly ParamDef[] = [
  { key: 'width', label: 'width', kind: 'int', min: 4, max: 32, default: 8, help: 'Channels of the hidden convolutions.' },
  { key: 'depth', label: 'depth', kind: 'enum', options: ['shallow', 'unet'], default: 'shallow',
    help: 'shallow: conv3×3–conv3×3–conv1×1; unet: one down/up level with a skip connection.' },
  { key: 'outputPrior', label: 'output prior p₀', kind: 'number', min: 1e-6, max: 0.999999, default: 0.5, scale: 'log',
    help: 'Foreground probability the untrained net predicts everywhere; 3e-4 is the collapsed start.' },
];

export const OPTIMIZER_FIELDS: readonly ParamDef[] = [
  { key: 'name', label: 'optimiser', kind: 'enum', options: ['sgd', 'adam'], default: 'sgd', help: 'SGD with momentum, or Adam.' },
  { key: 'lr', label: 'learning rate', kind: 'number', min: 1e-5, max: 100, default: 0.1, scale: 'log', help: 'Step size.' },
  { key: 'momentum', label: 'momentum', kind: 'number', min: 0, max: 0.999, default: 0.9, help: 'SGD momentum (PyTorch convention).' },
  { key: 'beta1', label: 'β₁', kind: 'number', min: 0, max: 0.9999, default: 0.9, help: 'Adam’s first-moment decay.' },
  { key: 'beta2', label: 'β₂', kind: 'number', min: 0, max: 0.99999, default: 0.999, help: 'Adam’s second-moment decay.' },
  { key: 'clipNorm', label: 'clip global norm', kind: 'nullableNumber', min: 0.001, max: 1000, default: null,
    help: 'Rescales the gradient when its global norm exceeds this; null turns clipping off.' },
];

function parseSection<T>(fields: readonly ParamDef[], input: unknown, path: string): T {
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError(`${path}: expected an object`);
  const obj = input as Record<string, unknown>;
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw new ConfigError(`${path ? `${path}.` : ''}${key}: unknown setting; known: ${[...known].join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    out[f.key] = obj[f.key] === undefined ? f.default : checkParam(f, obj[f.key], `${path ? `${path}.` : ''}${f.key}`, ConfigError);
  }
  return out as T;
}

export function defaultLosses(classes: number): LossInput[] {
  return classes === 2 ? [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'bce' }] : [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'ce' }];
}

function checkTask(spec: LossSpec, task: 'binary' | 'multiclass', path: string, classes: number): void {
  if (spec.id === 'combo') {
    spec.terms.forEach((t, i) => checkTask(t.loss, task, `${path}.terms[${i}].loss`, classes));
    return;
  }
  const info = lossInfo(spec.id);
  if (info && !info.tasks.includes(task)) {
    throw new ConfigError(`${path}.id: ${spec.id} is for ${info.tasks.join('/')} data, but data.classes is ${classes}`);
  }
}

/** Validates a config object (e.g. parsed JSON) and fills every default. */
export function parseExperimentConfig(input: unknown): ExperimentConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError('config: expected a JSON object');
  const raw = input as Record<string, unknown>;
  const sections = new Set(['data', 'model', 'optimizer', 'losses']);
  const top = parseSection<Pick<ExperimentConfig, 'seed' | 'steps' | 'batchSize' | 'evalEvery'>>(
    TOP_FIELDS,
    Object.fromEntries(Object.entries(raw).filter(([k]) => !sections.has(k))),
    '',
  );
  const data = parseSection<DataConfig>(DATA_FIELDS, raw.data, 'data');
  const model = parseSection<ModelConfig>(MODEL_FIELDS, raw.model, 'model');
  const optimizer = parseSection<OptimizerConfig>(OPTIMIZER_FIELDS, raw.optimizer, 'optimizer');
  if (top.batchSize > data.train) throw new ConfigError(`batchSize: ${top.batchSize} is larger than the training set (data.train = ${data.train})`);
  const lossInputs = raw.losses === undefined ? defaultLosses(data.classes) : raw.losses;
  if (!Array.isArray(lossInputs) || lossInputs.length < 1 || lossInputs.length > MAX_LOSSES) {
    throw new ConfigError(`losses: expected a list of 1 to ${MAX_LOSSES} losses, e.g. [{ "id": "bce" }]`);
  }
  const task = data.classes === 2 ? 'binary' : 'multiclass';
  const losses = lossInputs.map((l, i) => {
    const spec = resolveLoss(l as LossInput, `losses[${i}]`);
    checkTask(spec, task, `losses[${i}]`, data.classes);
    return spec;
  });
  return { ...top, data, model, optimizer, losses };
}

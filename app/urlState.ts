import { MAX_LOSSES, TOP_FIELDS, defaultLosses, parseExperimentConfig, resolveExperimentLoss } from '../src/config/experimentConfig';
import { fieldText, readFieldText, shorten, type Field } from '../src/schema/schema';
import type { LossInput, LossSpec } from '../src/losses/lossDefinition';
import { definitionOf, lossInfo, resolveLoss } from '../src/losses/registry';
import { readQuery } from './queryParams';
import { CHAPTERS, findChapter } from '../src/tour/chapters';
import {
  defaultState,
  defaultSurfaceLosses,
  openingExperiment,
  URL_SECTIONS,
  urlName,
  VIEWS,
  type AppState,
  type UrlSection,
  type View,
  type EmbedSettings,
} from './state';

/**
 * 3: a setting left out takes the opening race's value (the collapsed start). 2: left-out settings took the
 * schema's defaults (output prior 0.5, no clipping), and are read that way still. 1: as 2, and `speed` was steps
 * per frame of an assumed 60 Hz display (links without a version, typed by hand, keep that reading of `speed`).
 */
export const URL_VERSION = '3';
const READABLE_VERSIONS = ['1', '2', URL_VERSION];
const LEGACY_BASE_VERSIONS = ['1', '2'];
/** Parameters read elsewhere (the backend) or written by us (v). */
const PASSTHROUGH = new Set(['backend', 'v']);

/** v=1's speed: training steps per frame, which the page took to be 1/60 s. */
const LEGACY_SPEED = { key: 'speed', label: 'speed', kind: 'int', min: 1, max: 20, default: 4, help: '' } as const satisfies Field;
const LEGACY_FRAME_RATE = 60;

/** `id(key:value;key:value)` for a loss, or the loss's own text form (a combination's `combo(id*weight+…)`). */
function readLoss(raw: string, classes: number, corrections: string[], param: string): LossSpec | null {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(raw.trim());
  const def = m ? lossInfo(m[1]) : undefined;
  if (!m || !def) {
    corrections.push(`${param}=${shorten(raw)} is not a known loss; dropped`);
    return null;
  }
  const task = classes === 2 ? 'binary' : 'multiclass';
  // classes 0: any loss (the analytic view evaluates multi-class losses as two classes).
  if (classes !== 0 && !def.tasks.includes(task)) {
    corrections.push(`${param}=${shorten(raw)}: ${def.id} is for ${def.tasks.join('/')} data, not ${classes} classes; dropped`);
    return null;
  }
  const body = m[2] ?? '';
  let input: LossInput = { id: def.id };
  if (def.text) input = def.text.decode(body);
  else {
    for (const pair of body.split(';').filter(Boolean)) {
      const [key, value = ''] = pair.split(':');
      const field = def.params.find((p) => p.key === key);
      if (!field) {
        corrections.push(`${param}=${def.id}: unknown option ${key}; ignored`);
        continue;
      }
      const read = readFieldText(field, value, `${param}=${def.id} ${key}`, field.default, corrections);
      if (read !== undefined) input[key] = read;
    }
  }
  try {
    return classes === 0
      ? resolveLoss(input, `${param}=${shorten(raw)}`)
      : resolveExperimentLoss(input, classes, `${param}=${shorten(raw)}`);
  } catch (e) {
    corrections.push(`${(e as Error).message}; dropped`);
    return null;
  }
}

function readLosses(raws: string[], classes: number, corrections: string[], param: string, what: string): LossSpec[] | null {
  if (!raws.length) return null;
  const losses = raws.map((r) => readLoss(r, classes, corrections, param)).filter((l): l is LossSpec => l !== null);
  if (losses.length > MAX_LOSSES) corrections.push(`${losses.length} ${what} given; keeping the first ${MAX_LOSSES}`);
  return losses.length ? losses.slice(0, MAX_LOSSES) : null;
}

export interface ParsedUrl {
  state: AppState;
  /** One line per corrected or ignored parameter. */
  corrections: string[];
}

/** Reads the whole state from a query string; every bad piece falls back on its own and is listed. */
export function parseUrlState(search: string): ParsedUrl {
  const base = defaultState();
  const corrections: string[] = [];
  const params = readQuery(search, corrections);
  const version = params.get('v');
  if (version !== null && !READABLE_VERSIONS.includes(version))
    corrections.push(`v=${version} is not a known URL version; reading it as v=${URL_VERSION}`);

  const legacyBase = version !== null && LEGACY_BASE_VERSIONS.includes(version);

  const view = params.get('view');
  let stateView: View = base.view;
  if (view !== null) {
    const known = VIEWS.find((v) => v === view);
    if (known) stateView = known;
    else corrections.push(`view=${view} is not one of ${VIEWS.join(', ')}; using race`);
  }

  const sections: Record<UrlSection, Record<string, unknown>> = {
    top: {},
    data: {},
    model: {},
    optimizer: {},
    ui: {},
    surface: {},
    landscape: {},
    embed: {},
  };
  let chapter = base.chapter;
  const ch = params.get('ch');
  if (ch !== null) {
    const found = findChapter(ch);
    if (found) chapter = found.slug;
    else
      corrections.push(
        `ch=${shorten(ch)} is not a chapter of the tour (1–${CHAPTERS.length} or a name such as ${CHAPTERS[2].slug}); opening the first`,
      );
  }

  const names = new Set(['view', 'ch', 'l', 'sl', ...PASSTHROUGH]);
  for (const [section, fields] of Object.entries(URL_SECTIONS) as [UrlSection, readonly Field[]][]) {
    for (const f of fields) {
      const name = urlName(f);
      names.add(name);
      const raw = params.get(name);
      if (raw !== null) sections[section][f.key] = readFieldText(f, raw, name, f.default, corrections);
    }
  }
  const legacySpeed = params.get(LEGACY_SPEED.key);
  if (legacySpeed !== null) {
    names.add(LEGACY_SPEED.key);
    if ((version === null || version === '1') && sections.ui.stepsPerSecond === undefined) {
      const perFrame = readFieldText(LEGACY_SPEED, legacySpeed, LEGACY_SPEED.key, LEGACY_SPEED.default, corrections);
      sections.ui.stepsPerSecond = Number(perFrame) * LEGACY_FRAME_RATE;
    } else corrections.push(`speed is the old (v=1) speed setting; use sps (steps per second)`);
  }
  for (const key of params.keys()) if (!names.has(key)) corrections.push(`${key} is not a setting; ignored`);

  const ui = { ...base.ui, ...sections.ui };
  const surface = { ...base.surface, ...sections.surface };
  const surfaceLosses = readLosses(params.getAll('sl'), 0, corrections, 'sl', 'analytic-view losses');
  if (surfaceLosses) surface.losses = surfaceLosses;
  else if (params.getAll('sl').length) corrections.push('no usable loss for the analytic view in the URL; using its default losses');

  // What the link leaves out comes from the race it was written against; the losses follow the task.
  const under = legacyBase ? parseExperimentConfig({}) : openingExperiment();
  const config = {
    ...pick(under, TOP_FIELDS),
    ...sections.top,
    data: { ...under.data, ...sections.data },
    model: { ...under.model, ...sections.model },
    optimizer: { ...under.optimizer, ...sections.optimizer },
  };
  let experiment;
  try {
    experiment = parseExperimentConfig(config);
  } catch (e) {
    corrections.push(`${(e as Error).message}; using the default settings for it`);
    experiment = parseExperimentConfig({ ...config, batchSize: undefined });
  }
  const losses = readLosses(params.getAll('l'), experiment.data.classes, corrections, 'l', 'losses');
  if (losses) experiment.losses = losses;
  else if (params.getAll('l').length) {
    corrections.push('no usable loss in the URL; using the default race');
    experiment.losses = defaultLosses(experiment.data.classes);
  }
  const landscape = { ...base.landscape, ...sections.landscape };
  const embed = { ...base.embed, ...sections.embed };
  // An embedded figure shows the view its figure belongs to.
  if (embed.embed) stateView = FIGURE_VIEW[embed.fig];
  return {
    state: { view: stateView, chapter, experiment, ui: { ...ui }, surface: { ...surface }, landscape, embed } as AppState,
    corrections,
  };
}

function encodeLoss(spec: LossSpec): string {
  const def = definitionOf(spec);
  if (def.text) return `${spec.id}(${def.text.encode(spec)})`;
  const opts = def.params
    .filter((p) => spec[p.key] !== undefined && JSON.stringify(spec[p.key]) !== JSON.stringify(p.default))
    .map((p) => `${p.key}:${fieldText(spec[p.key])}`);
  return opts.length ? `${spec.id}(${opts.join(';')})` : spec.id;
}

const FIGURE_VIEW: Record<EmbedSettings['fig'], View> = {
  race: 'race',
  'race-full': 'race',
  curves: 'surface',
  surfaces: 'surface',
  tour: 'tour',
};

const pick = (from: object, fields: readonly Field[]) =>
  Object.fromEntries(fields.map((f) => [f.key, (from as Record<string, unknown>)[f.key]]));

/** The query string of a state: the version, then every setting that differs from the opening state, and the losses. */
export function encodeUrlState(state: AppState, backend?: string | null): string {
  const params = new URLSearchParams();
  params.set('v', URL_VERSION);
  if (state.view !== 'race') params.set('view', state.view);
  if (state.view === 'tour' || (state.embed.embed && state.embed.fig === 'tour')) params.set('ch', state.chapter);
  const { experiment } = state;
  const opening = defaultState();
  const base: Record<UrlSection, Record<string, unknown>> = {
    top: opening.experiment,
    data: opening.experiment.data,
    model: opening.experiment.model,
    optimizer: opening.experiment.optimizer,
    ui: opening.ui,
    surface: opening.surface,
    landscape: opening.landscape,
    embed: opening.embed,
  };
  const values: Record<UrlSection, Record<string, unknown>> = {
    top: experiment,
    data: experiment.data,
    model: experiment.model,
    optimizer: experiment.optimizer,
    ui: state.ui,
    surface: state.surface,
    landscape: state.landscape,
    embed: state.embed,
  };
  for (const [section, fields] of Object.entries(URL_SECTIONS) as [UrlSection, readonly Field[]][]) {
    for (const f of fields) {
      const value = values[section][f.key];
      if (value !== base[section][f.key]) params.set(urlName(f), fieldText(value));
    }
  }
  for (const l of experiment.losses) params.append('l', encodeLoss(l));
  const surfaceLosses = state.surface.losses.map(encodeLoss);
  if (surfaceLosses.join() !== defaultSurfaceLosses().map(encodeLoss).join()) for (const l of surfaceLosses) params.append('sl', l);
  if (backend) params.set('backend', backend);
  return `?${params.toString()}`;
}

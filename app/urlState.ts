import { MAX_LOSSES, TOP_FIELDS, defaultLosses, parseExperimentConfig, resolveExperimentLoss } from '../src/config/experimentConfig';
import { fieldText, readFieldText, shorten, type Field } from '../src/schema/schema';
import type { LossInput, LossSpec } from '../src/losses/lossDefinition';
import { definitionOf, lossInfo, resolveLoss } from '../src/losses/registry';
import { taskOf } from '../src/domain/task';
import { dataSourceOf } from '../src/data/dataSource';
import { readQuery, type QueryParams } from './queryParams';
import { CHAPTERS, findChapter } from '../src/tour/chapters';
import { URL_VERSION } from './urlVersion';
import { FIGURES, VIEW_IDS, VIEW_SECTIONS, isView, viewEntry, type View } from './views/registry';
import { defaultState, openingExperiment, sectionValues, URL_SECTIONS, urlName, withViewSettings, type AppState } from './state';

const READABLE_VERSIONS = ['1', '2', URL_VERSION];
const LEGACY_BASE_VERSIONS = ['1', '2'];
/** Parameters read elsewhere (the backend) or written by us (v). */
const PASSTHROUGH = ['backend', 'v'];
/** The parameters that are no section's field: the view, the tour's chapter, the race's losses, and the above. */
export const OWN_PARAMS = ['view', 'ch', 'l', ...PASSTHROUGH];

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
  const task = taskOf(classes);
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

/** The view a link opens; an unknown one opens the first page, with a correction. */
function readView(params: QueryParams, corrections: string[]): View {
  const view = params.get('view');
  if (view === null || isView(view)) return view ?? VIEW_IDS[0];
  corrections.push(`view=${view} is not one of ${VIEW_IDS.join(', ')}; using ${VIEW_IDS[0]}`);
  return VIEW_IDS[0];
}

function readChapter(params: QueryParams, corrections: string[], fallback: string): string {
  const ch = params.get('ch');
  if (ch === null) return fallback;
  const found = findChapter(ch);
  if (found) return found.slug;
  corrections.push(
    `ch=${shorten(ch)} is not a chapter of the tour (1–${CHAPTERS.length} or a name such as ${CHAPTERS[2].slug}); opening the first`,
  );
  return fallback;
}

/** Every section's fields that the link sets, by section, and every parameter name the page knows. */
function readSections(params: QueryParams, version: string | null, corrections: string[]) {
  const sections: Record<string, Record<string, unknown>> = Object.fromEntries(Object.keys(URL_SECTIONS).map((k) => [k, {}]));
  const names = new Set([...OWN_PARAMS, ...VIEW_SECTIONS.flatMap((s) => (s.losses ? [s.losses.param] : []))]);
  for (const [section, fields] of Object.entries(URL_SECTIONS)) {
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
  return sections;
}

/** Each view's own settings: its defaults, what the link sets, and the losses it carries under their own parameter. */
function readViewSettings(params: QueryParams, sections: Record<string, Record<string, unknown>>, base: AppState, corrections: string[]) {
  return VIEW_SECTIONS.map((section) => {
    const value: Record<string, unknown> = { ...(sectionValues(base)[section.key] ?? {}), ...sections[section.key] };
    const carried = section.losses;
    if (carried) {
      const raws = params.getAll(carried.param);
      const losses = readLosses(raws, 0, corrections, carried.param, carried.what);
      if (losses) value.losses = losses;
      else if (raws.length) corrections.push(`no usable loss for ${carried.owner} in the URL; using its default losses`);
    }
    return [section.key, value] as const;
  });
}

/** The experiment: what the link leaves out comes from the race it was written against; the losses follow the task. */
function readExperiment(
  params: QueryParams,
  sections: Record<string, Record<string, unknown>>,
  legacyBase: boolean,
  corrections: string[],
) {
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
  try {
    dataSourceOf(experiment.data.source);
  } catch (e) {
    corrections.push(`${(e as Error).message} Using the synthetic shapes.`);
    experiment.data.source = 'synthetic';
  }
  const losses = readLosses(params.getAll('l'), experiment.data.classes, corrections, 'l', 'losses');
  if (losses) experiment.losses = losses;
  else if (params.getAll('l').length) {
    corrections.push('no usable loss in the URL; using the default race');
    experiment.losses = defaultLosses(experiment.data.classes);
  }
  return experiment;
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
  const linkView = readView(params, corrections);
  const chapter = readChapter(params, corrections, base.chapter);
  const sections = readSections(params, version, corrections);
  const views = readViewSettings(params, sections, base, corrections);
  const experiment = readExperiment(params, sections, legacyBase, corrections);
  const embed = { ...base.embed, ...sections.embed } as AppState['embed'];
  // An embedded figure shows the view its figure belongs to.
  const view = embed.embed ? (FIGURES.find((f) => f.id === embed.fig)?.view ?? linkView) : linkView;
  const state = views.reduce((s, [key, value]) => withViewSettings(s, key, value), {
    ...base,
    view,
    chapter,
    experiment,
    ui: { ...base.ui, ...sections.ui },
    embed,
  });
  return { state, corrections };
}

function encodeLoss(spec: LossSpec): string {
  const def = definitionOf(spec);
  if (def.text) return `${spec.id}(${def.text.encode(spec)})`;
  const opts = def.params
    .filter((p) => spec[p.key] !== undefined && JSON.stringify(spec[p.key]) !== JSON.stringify(p.default))
    .map((p) => `${p.key}:${fieldText(spec[p.key])}`);
  return opts.length ? `${spec.id}(${opts.join(';')})` : spec.id;
}

const pick = (from: object, fields: readonly Field[]) =>
  Object.fromEntries(fields.map((f) => [f.key, (from as Record<string, unknown>)[f.key]]));

/** Whether a view's address names the tour's chapter (`ch`): the view shows chapters. */
const namesChapter = (view: View) => viewEntry(view).race === 'chapter';

/** The query string of a state: the version, then every setting that differs from the opening state, and the losses. */
export function encodeUrlState(state: AppState, backend?: string | null): string {
  const params = new URLSearchParams();
  params.set('v', URL_VERSION);
  if (state.view !== VIEW_IDS[0]) params.set('view', state.view);
  const figure = state.embed.embed ? FIGURES.find((f) => f.id === state.embed.fig) : undefined;
  if (namesChapter(state.view) || (figure && namesChapter(figure.view))) params.set('ch', state.chapter);
  const base = sectionValues(defaultState());
  const values = sectionValues(state);
  for (const [section, fields] of Object.entries(URL_SECTIONS)) {
    for (const f of fields) {
      const value = values[section][f.key];
      if (value !== base[section][f.key]) params.set(urlName(f), fieldText(value));
    }
  }
  for (const l of state.experiment.losses) params.append('l', encodeLoss(l));
  for (const section of VIEW_SECTIONS) {
    if (!section.losses) continue;
    const losses = (values[section.key].losses as LossSpec[]).map(encodeLoss);
    const defaults = (base[section.key].losses as LossSpec[]).map(encodeLoss);
    if (losses.join() !== defaults.join()) for (const l of losses) params.append(section.losses.param, l);
  }
  if (backend) params.set('backend', backend);
  return `?${params.toString()}`;
}

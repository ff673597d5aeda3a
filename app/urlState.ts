import * as v from 'valibot';
import { defaultLosses, MAX_LOSSES, parseExperimentConfig } from '../src/config/experimentConfig';
import type { ParamDef } from '../src/losses/params';
import { lossInfo, resolveLoss } from '../src/losses/registry';
import type { LossInput, LossSpec } from '../src/losses/types';
import { readQuery, shorten } from './queryParams';
import { defaultState, SURFACE_FIELDS, SURFACE_PARAM, UI_FIELDS, URL_FIELDS, type AppState, type View } from './state';

export const URL_VERSION = '1';
const VIEWS: readonly View[] = ['race', 'surface', 'reference'];
/** Parameters read elsewhere (the backend) or written by us (v). */
const PASSTHROUGH = new Set(['backend', 'v']);

const finite = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.transform(Number), v.number(), v.finite());

/** The valibot schema of one setting as it appears in a query string. */
function schemaFor(def: ParamDef) {
  switch (def.kind) {
    case 'number':
    case 'int':
      return finite;
    case 'nullableNumber':
      return v.union([v.pipe(v.string(), v.picklist(['off', 'none', 'null']), v.transform(() => null)), finite]);
    case 'enum':
      return v.pipe(v.string(), v.picklist(def.options as string[]));
    case 'boolean':
      return v.pipe(v.string(), v.picklist(['1', '0', 'true', 'false']), v.transform((s) => s === '1' || s === 'true'));
    case 'numberList':
    case 'intList':
      return v.pipe(v.string(), v.transform((s) => s.split('|').map(Number)), v.array(v.pipe(v.number(), v.finite())), v.minLength(1));
  }
}

const describeWant = (def: ParamDef): string => {
  if (def.kind === 'enum') return `one of ${def.options.join(', ')}`;
  if (def.kind === 'boolean') return '1 or 0';
  if (def.kind === 'nullableNumber') return `off or a number in [${def.min}, ${def.max}]`;
  if ('min' in def) return `${def.kind === 'int' || def.kind === 'intList' ? 'an integer' : 'a number'} in [${def.min}, ${def.max}]`;
  return 'a valid value';
};

const show = (x: unknown) => (x === null ? 'off' : Array.isArray(x) ? x.join('|') : String(x));

/**
 * Parses one raw value for a setting. Out-of-range numbers are clamped (and integers rounded); anything
 * unparseable gives the fallback. Either way a correction is recorded in words.
 */
function readValue(def: ParamDef, raw: string, name: string, fallback: unknown, corrections: string[]): unknown {
  const parsed = v.safeParse(schemaFor(def), raw);
  if (!parsed.success) {
    corrections.push(`${name}=${shorten(raw)} is not ${describeWant(def)}; using ${show(fallback)}`);
    return fallback;
  }
  const value = parsed.output as unknown;
  if (typeof value === 'number' && 'min' in def) {
    const rounded = def.kind === 'int' ? Math.round(value) : value;
    const clamped = Math.min(def.max, Math.max(def.min, rounded));
    if (clamped !== value) corrections.push(`${name}=${shorten(raw)} is outside [${def.min}, ${def.max}]${def.kind === 'int' ? ' or not whole' : ''}; using ${clamped}`);
    return clamped;
  }
  if (Array.isArray(value) && 'min' in def) {
    const fixed = value.map((x) => Math.min(def.max, Math.max(def.min, def.kind === 'intList' ? Math.round(x) : x)));
    if (fixed.some((x, i) => x !== value[i])) corrections.push(`${name}=${shorten(raw)} has values outside [${def.min}, ${def.max}]; using ${fixed.join('|')}`);
    return fixed;
  }
  return value;
}

/** `id(key:value;key:value)` for a loss, or `combo(id*weight+id*weight)`. */
function readLoss(raw: string, classes: number, corrections: string[], param = 'l'): LossSpec | null {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(raw.trim());
  const info = m ? lossInfo(m[1]) : undefined;
  if (!m || !info) {
    corrections.push(`${param}=${shorten(raw)} is not a known loss; dropped`);
    return null;
  }
  const task = classes === 2 ? 'binary' : 'multiclass';
  // classes 0: any loss (the analytic view evaluates multi-class losses as two classes).
  if (classes !== 0 && !info.tasks.includes(task)) {
    corrections.push(`${param}=${shorten(raw)}: ${info.id} is for ${info.tasks.join('/')} data, not ${classes} classes; dropped`);
    return null;
  }
  const body = m[2] ?? '';
  let input: LossInput = { id: info.id };
  if (info.id === 'combo') {
    // `+` joins the terms; in a query it also means a space, so a link typed by hand arrives with spaces.
    const terms = body.split(/[+\s]+/).filter(Boolean).map((t) => {
      const [id, w] = t.split('*');
      return { weight: w === undefined ? 1 : Number(w), loss: { id } };
    });
    input = { id: 'combo', terms };
  } else {
    for (const pair of body.split(';').filter(Boolean)) {
      const [key, value = ''] = pair.split(':');
      const def = info.params.find((p) => p.key === key);
      if (!def) {
        corrections.push(`l=${info.id}: unknown option ${key}; ignored`);
        continue;
      }
      input[key] = readValue(def, value, `l=${info.id} ${key}`, def.default, corrections);
      if (input[key] === undefined) delete input[key];
    }
  }
  try {
    const spec = resolveLoss(input, `l=${shorten(raw)}`);
    if (classes !== 0 && spec.id === 'combo' && spec.terms.some((t) => !lossInfo(t.loss.id)?.tasks.includes(task))) throw new Error(`a term is not for ${classes} classes`);
    return spec;
  } catch (e) {
    corrections.push(`${(e as Error).message}; dropped`);
    return null;
  }
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
  if (version !== null && version !== URL_VERSION) corrections.push(`v=${version} is not a known URL version; reading it as v=${URL_VERSION}`);

  const view = params.get('view');
  let stateView = base.view;
  if (view !== null) {
    if ((VIEWS as readonly string[]).includes(view)) stateView = view as View;
    else corrections.push(`view=${view} is not one of ${VIEWS.join(', ')}; using race`);
  }

  const sections: Record<string, Record<string, unknown>> = { top: {}, data: {}, model: {}, optimizer: {} };
  for (const f of URL_FIELDS) {
    const raw = params.get(f.param);
    if (raw !== null) sections[f.section][f.def.key] = readValue(f.def, raw, f.param, f.def.default, corrections);
  }
  const ui = { ...base.ui } as Record<string, unknown>;
  for (const def of UI_FIELDS) {
    const raw = params.get(def.key);
    if (raw !== null) ui[def.key] = readValue(def, raw, def.key, def.default, corrections);
  }

  const surface = { ...base.surface } as Record<string, unknown>;
  for (const def of SURFACE_FIELDS) {
    const name = SURFACE_PARAM[def.key];
    const raw = params.get(name);
    if (raw !== null) surface[def.key] = readValue(def, raw, name, def.default, corrections);
  }
  const rawSurfaceLosses = params.getAll('sl');
  if (rawSurfaceLosses.length) {
    const losses = rawSurfaceLosses.map((r) => readLoss(r, 0, corrections, 'sl')).filter((l): l is LossSpec => l !== null);
    if (losses.length > MAX_LOSSES) corrections.push(`${losses.length} analytic-view losses given; keeping the first ${MAX_LOSSES}`);
    if (losses.length) surface.losses = losses.slice(0, MAX_LOSSES);
    else corrections.push('no usable loss for the analytic view in the URL; using its default losses');
  }

  const known = new Set([...URL_FIELDS.map((f) => f.param), ...UI_FIELDS.map((f) => f.key), ...Object.values(SURFACE_PARAM), 'view', 'l', 'sl', ...PASSTHROUGH]);
  for (const key of params.keys()) if (!known.has(key)) corrections.push(`${key} is not a setting; ignored`);

  let experiment;
  try {
    experiment = parseExperimentConfig({ ...sections.top, data: sections.data, model: sections.model, optimizer: sections.optimizer });
  } catch (e) {
    corrections.push(`${(e as Error).message}; using the default settings for it`);
    const { batchSize, ...rest } = sections.top;
    experiment = parseExperimentConfig({ ...rest, data: sections.data, model: sections.model, optimizer: sections.optimizer });
    void batchSize;
  }
  const rawLosses = params.getAll('l');
  if (rawLosses.length) {
    const losses = rawLosses.map((r) => readLoss(r, experiment.data.classes, corrections)).filter((l): l is LossSpec => l !== null);
    if (losses.length > MAX_LOSSES) corrections.push(`${losses.length} losses given; keeping the first ${MAX_LOSSES}`);
    if (losses.length === 0) {
      corrections.push('no usable loss in the URL; using the default race');
      experiment.losses = defaultLosses(experiment.data.classes).map((l) => resolveLoss(l));
    } else experiment.losses = losses.slice(0, MAX_LOSSES);
  }
  return { state: { view: stateView, experiment, ui: ui as unknown as AppState['ui'], surface: surface as unknown as AppState['surface'] }, corrections };
}

function encodeLoss(spec: LossSpec): string {
  if (spec.id === 'combo') return `combo(${spec.terms.map((t) => `${t.loss.id}*${t.weight}`).join('+')})`;
  const info = lossInfo(spec.id)!;
  const opts = info.params
    .filter((p) => {
      const val = (spec as unknown as Record<string, unknown>)[p.key];
      return val !== undefined && JSON.stringify(val) !== JSON.stringify(p.default);
    })
    .map((p) => `${p.key}:${show((spec as unknown as Record<string, unknown>)[p.key])}`);
  return opts.length ? `${spec.id}(${opts.join(';')})` : spec.id;
}

/** The query string of a state: v=1, then every setting that differs from its default, and the losses. */
export function encodeUrlState(state: AppState, backend?: string | null): string {
  const params = new URLSearchParams();
  params.set('v', URL_VERSION);
  if (state.view !== 'race') params.set('view', state.view);
  const sections: Record<string, Record<string, unknown>> = {
    top: state.experiment as unknown as Record<string, unknown>,
    data: state.experiment.data as unknown as Record<string, unknown>,
    model: state.experiment.model as unknown as Record<string, unknown>,
    optimizer: state.experiment.optimizer as unknown as Record<string, unknown>,
  };
  for (const f of URL_FIELDS) {
    const value = sections[f.section][f.def.key];
    if (value !== f.def.default) params.set(f.param, show(value));
  }
  for (const def of UI_FIELDS) {
    const value = (state.ui as unknown as Record<string, unknown>)[def.key];
    if (value !== def.default) params.set(def.key, show(value));
  }
  for (const l of state.experiment.losses) params.append('l', encodeLoss(l));
  for (const def of SURFACE_FIELDS) {
    const value = (state.surface as unknown as Record<string, unknown>)[def.key];
    if (value !== def.default) params.set(SURFACE_PARAM[def.key], show(value));
  }
  const defaultSurfaceIds = ['softJaccard', 'logJaccard', 'bce'];
  const surfaceLosses = state.surface.losses.map(encodeLoss);
  if (surfaceLosses.join() !== defaultSurfaceIds.join()) for (const l of surfaceLosses) params.append('sl', l);
  if (backend) params.set('backend', backend);
  return `?${params.toString()}`;
}

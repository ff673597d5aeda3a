import { SECTIONS, type ExperimentConfig } from '../src/config/experimentConfig';
import { defaultsOf, type Field, type Infer } from '../src/schema/schema';
import { CHAPTERS } from '../src/tour/chapters';
import { openingExperiment } from './openingExperiment';
import { UI_FIELDS, type UiSettings } from './uiSettings';
import { FIGURES, VIEW_SECTIONS, VIEWS, type View, type ViewSettings } from './views/registry';

// Everything the explorer lets a user set, in one typed schema: the experiment (the same config the CLI runs), the
// charts' settings, each view's own section (from the view registry) and figure mode. The URL, the controls and
// "Download config" all go through it.

/**
 * Figure mode, for embedding the explorer in another page: no page chrome, one figure, and a lifecycle that keeps
 * out of the host page's way (see app/embed/).
 */
export const EMBED_FIELDS = [
  { key: 'embed', label: 'figure mode', kind: 'boolean', default: false, help: 'Only the figure, for an iframe in another page.' },
  {
    key: 'fig',
    label: 'figure',
    kind: 'enum',
    options: FIGURES.map((f) => f.id),
    default: FIGURES[0].id,
    help: FIGURES.map((f) => `${f.id}: ${f.name}`).join('; '),
  },
  {
    key: 'theme',
    label: 'theme',
    kind: 'enum',
    options: ['auto', 'light', 'dark'],
    default: 'auto',
    help: 'auto follows the reader’s system.',
  },
  {
    key: 'autoplay',
    label: 'autoplay',
    kind: 'boolean',
    default: false,
    help: 'Train as soon as the figure is on screen (never when the reader asks for reduced motion).',
  },
  {
    key: 'release',
    label: 'release after (s)',
    kind: 'int',
    min: 1,
    max: 3600,
    default: 60,
    help: 'Seconds away from the viewport (or in a hidden tab) after which the figure lets its worker and GPU device go; it builds them again, where it stopped, when it returns.',
  },
] as const satisfies readonly Field[];
export type EmbedSettings = Infer<typeof EMBED_FIELDS>;

/** The page's state: the view on screen, the tour's chapter, the experiment, the charts' and every view's settings. */
export type AppState = {
  view: View;
  /** The tour's chapter (a slug), written as `ch` while a view that shows chapters is on screen. */
  chapter: string;
  experiment: ExperimentConfig;
  ui: UiSettings;
  embed: EmbedSettings;
} & ViewSettings;

export { openingExperiment };

/** The page's state and its views' sections as plain records, section by key (the registry types them). */
const asSections = (values: Record<string, unknown>) => values as ViewSettings;
const sectionsOf = (state: AppState) => state as unknown as Record<string, Record<string, unknown>>;

export function defaultState(): AppState {
  return {
    view: VIEWS[0].id,
    chapter: CHAPTERS[0].slug,
    experiment: openingExperiment(),
    ui: defaultsOf(UI_FIELDS),
    ...asSections(Object.fromEntries(VIEW_SECTIONS.map((s) => [s.key, s.defaults()]))),
    embed: defaultsOf(EMBED_FIELDS),
  };
}

/** Every setting the URL carries, with its section: the experiment's, the charts', each view's own and the embed's. */
export const URL_SECTIONS: Readonly<Record<string, readonly Field[]>> = {
  ...SECTIONS,
  ui: UI_FIELDS,
  ...Object.fromEntries(VIEW_SECTIONS.map((s) => [s.key, s.fields])),
  embed: EMBED_FIELDS,
};

/** Each section's values in a state, by section (the experiment's top-level fields are the experiment itself). */
export function sectionValues(state: AppState): Record<string, Record<string, unknown>> {
  const { experiment } = state;
  const views = sectionsOf(state);
  return {
    top: experiment,
    data: experiment.data,
    model: experiment.model,
    optimizer: experiment.optimizer,
    ui: state.ui,
    ...Object.fromEntries(VIEW_SECTIONS.map((s) => [s.key, views[s.key]])),
    embed: state.embed,
  };
}

/** A view's own settings in a state, and the state with them replaced. */
export const viewSettingsOf = (state: AppState, key: string): unknown => sectionsOf(state)[key];
export const withViewSettings = (state: AppState, key: string, value: unknown): AppState => ({ ...state, ...asSections({ [key]: value }) });

/** A field's name in the URL. */
export const urlName = (f: Field): string => f.url ?? f.key;

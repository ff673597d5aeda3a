import { landscapeView } from '../landscape/entry';
import { raceView } from '../race/entry';
import { referenceView } from '../reference/entry';
import { surfaceView } from '../surface/entry';
import { tourView } from '../tour/entry';
import type { FigureEntry, SettingsSection, ViewEntry } from './viewEntry';

/** Every view, in the order of the tabs: one entry each (see CONTRIBUTING's "Adding a view"). The first is the first page. */
export const VIEW_ENTRIES = [raceView, tourView, surfaceView, landscapeView, referenceView] as const;

type Entry = (typeof VIEW_ENTRIES)[number];
export type View = Entry['id'];

/** The registry read generically, each entry's own settings type set aside. */
export const VIEWS: readonly ViewEntry<View>[] = VIEW_ENTRIES;
export const VIEW_IDS = VIEWS.map((v) => v.id);
export const isView = (id: string): id is View => (VIEW_IDS as readonly string[]).includes(id);

const BY_ID = new Map(VIEWS.map((v) => [v.id, v]));
export const viewEntry = (id: View): ViewEntry => BY_ID.get(id) ?? VIEWS[0];

/** Every embeddable figure, with the view it belongs to. */
export const FIGURES: readonly (FigureEntry<unknown> & { view: View })[] = VIEWS.flatMap((v) =>
  (v.figures ?? []).map((f) => ({ ...f, view: v.id })),
);

/** The views' own settings sections, in the order of the tabs. */
export const VIEW_SECTIONS: readonly SettingsSection<string, unknown>[] = VIEWS.flatMap((v) => (v.settings ? [v.settings] : []));

type SectionOf<E> = E extends { settings: SettingsSection<infer K, infer S> } ? { [key in K]: S } : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The views' settings as the page's state holds them: `surface`, `landscape`, … */
export type ViewSettings = Intersection<SectionOf<Entry>>;

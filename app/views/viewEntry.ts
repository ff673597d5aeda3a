import type { ReactNode } from 'react';
import type { BackendReport } from '../../src/backend/types';
import type { ExperimentConfig } from '../../src/config/experimentConfig';
import type { Field } from '../../src/schema/schema';
import type { Chapter } from '../../src/tour/chapters';
import type { DataSourceControls } from '../data/useDataSource';
import type { EngineClient } from '../engineClient';
import type { RaceControls } from '../race/useRace';
import type { UiSettings } from '../uiSettings';

/** A view's own settings: a section of the page's state, carried in the address by its fields' URL names. */
export interface SettingsSection<K extends string, S> {
  /** Its key in the page's state. */
  key: K;
  fields: readonly Field[];
  defaults(): S;
  /** Losses kept beside the fields (as `losses`), under their own repeated parameter, read for any task. */
  losses?: { param: string; what: string; owner: string };
}

/** A figure of the view that a page can embed (`?embed=1&fig=id`). */
export interface FigureEntry<S> {
  id: string;
  /** As the Embed dialog's menu names it. */
  name: string;
  render(ctx: ViewContext<S>): ReactNode;
}

/** A view's one entry in the registry (app/views/registry.ts): all the page needs to show, address and embed it. */
export interface ViewEntry<Id extends string = string, S = unknown> {
  id: Id;
  /** Its tab's label. */
  title: string;
  /** Draws the view, through its component (loaded when first opened, except the first page's). */
  render(ctx: ViewContext<S>): ReactNode;
  /**
   * The race it shows, which is built while it is open: the explorer's, or the tour chapter's (its address then
   * names the chapter, `ch`). Without it no race is built for the view.
   */
  race?: 'explorer' | 'chapter';
  /** Handles a key press on the page (no modifier held); true when the key was its. */
  keys?(e: KeyboardEvent, ctx: ViewContext<S>): boolean;
  settings?: SettingsSection<string, S>;
  figures?: readonly FigureEntry<S>[];
}

/** What the page gives a view: the settings it reads and how to change them, the race, the engine. */
export interface ViewContext<S = unknown> {
  experiment: ExperimentConfig;
  onExperiment(c: ExperimentConfig): void;
  ui: UiSettings;
  onUi(p: Partial<UiSettings>): void;
  /** The view's own settings section. */
  settings: S;
  onSettings(s: S): void;
  race: RaceControls;
  /** Where the race's images come from: the synthetic shapes, or a data set imported or named by a manifest. */
  data: DataSourceControls;
  engine: EngineClient | null;
  /** What the engine settled on; null until it has. */
  report: BackendReport | null;
  chapter: Chapter;
  onChapter(slug: string): void;
  /** Loads a chapter's figure into the explorer. */
  onScenario(slug: string): void;
  /** Opens another view, with the race it should train when it brings one. */
  show(view: string, experiment?: ExperimentConfig): void;
  /** Where the chapter's figure opens in the whole explorer. */
  explorerHref: string;
  /** Shown as a figure in another page. */
  embedded: boolean;
  /** The first page's hint, while it is shown. */
  callout: { onDismiss(): void } | null;
  /** The measured choice landed on a GPU: the heavier race it can afford, offered until taken or dismissed. */
  gpuOffer: { backend: string; measured: string; onUse(): void; onDismiss(): void } | null;
}

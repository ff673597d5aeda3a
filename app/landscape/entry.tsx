import { lazy } from 'react';
import { defaultsOf } from '../../src/schema/schema';
import { LANDSCAPE_FIELDS, type LandscapeSettings } from '../../src/landscape/landscapeSettings';
import type { SettingsSection, ViewContext, ViewEntry } from '../views/viewEntry';

const LandscapeView = lazy(() => import('./LandscapeView').then((m) => ({ default: m.LandscapeView })));

const landscapeSection = {
  key: 'landscape',
  fields: LANDSCAPE_FIELDS,
  defaults: () => defaultsOf(LANDSCAPE_FIELDS),
} as const satisfies SettingsSection<'landscape', LandscapeSettings>;

/** The network's own loss surface around the weights the explorer's race has trained to (so it builds that race). */
export const landscapeView = {
  id: 'landscape',
  title: 'Landscape',
  race: 'explorer',
  render: (ctx: ViewContext<LandscapeSettings>) => (
    <LandscapeView
      engine={ctx.engine}
      race={ctx.race}
      settings={ctx.settings}
      log={ctx.ui.landscapeLog}
      onSettings={ctx.onSettings}
      onLog={(landscapeLog) => ctx.onUi({ landscapeLog })}
    />
  ),
  settings: landscapeSection,
} as const satisfies ViewEntry<'landscape', LandscapeSettings>;

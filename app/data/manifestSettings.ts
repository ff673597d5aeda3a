import {
  defaultLosses,
  parseExperimentConfig,
  SECTIONS,
  taskOf,
  type ExperimentConfig,
  type ExperimentInput,
} from '../../src/config/experimentConfig';
import { fieldText } from '../../src/schema/schema';
import { openingExperiment } from '../openingExperiment';

// A manifest's settings are what its author trained the data with. The address is what the reader (or the author
// of the link) chose: where it sets a key, that value stays. A version-3 address writes only what differs from the
// first page's race, so a value still equal to the first page's is one the address left to the manifest.

export interface ManifestSettingsResult {
  experiment: ExperimentConfig;
  /** The settings taken from the manifest, as `label value` (`image size 48`). */
  applied: string[];
  /** Why the manifest's settings could not be taken together with the address's (then none are). */
  error: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `experiment` with the manifest's `settings` where the address left the first page's value. */
export function withManifestSettings(experiment: ExperimentConfig, settings: ExperimentInput): ManifestSettingsResult {
  const opening = openingExperiment();
  const applied: string[] = [];
  const given = settings as Record<string, unknown>;
  const sectionOf = (config: object, section: string) =>
    (section === 'top' ? config : (config as Record<string, unknown>)[section]) as Record<string, unknown> | undefined;
  const merged = structuredClone(experiment) as unknown as Record<string, unknown>;
  for (const [section, fields] of Object.entries(SECTIONS)) {
    const wanted = sectionOf(given, section);
    if (!wanted) continue;
    const target = sectionOf(merged, section)!;
    for (const f of fields) {
      if (!(f.key in wanted) || !same(target[f.key], sectionOf(opening, section)?.[f.key]) || same(target[f.key], wanted[f.key])) continue;
      target[f.key] = wanted[f.key];
      applied.push(`${f.label} ${fieldText(wanted[f.key])}`);
    }
  }
  const classes = (merged.data as ExperimentConfig['data']).classes;
  const leftLosses = same(experiment.losses, opening.losses);
  if (settings.losses && leftLosses) merged.losses = settings.losses;
  else if (taskOf(classes) !== taskOf(experiment.data.classes)) merged.losses = defaultLosses(classes);
  try {
    const result = parseExperimentConfig(merged);
    if (settings.losses && !same(result.losses, experiment.losses)) applied.push(`losses ${result.losses.map((l) => l.id).join(', ')}`);
    return { experiment: result, applied, error: null };
  } catch (e) {
    return { experiment, applied: [], error: (e as Error).message };
  }
}

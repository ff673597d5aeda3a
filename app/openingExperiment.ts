import { parseExperimentConfig, type ExperimentConfig } from '../src/config/experimentConfig';
import { OPENING_SCENARIO } from '../src/tour/chapters';

/**
 * The race a page without settings opens on: the tour's collapsed start, where 1 − IoU visibly stalls. Links of
 * version 3 are read on top of it; older links on top of the schema's defaults, as they were written. A file of its
 * own, below the page's state and the view registry, so that what reads it (a manifest's settings) loads no view.
 */
export const openingExperiment = (): ExperimentConfig => parseExperimentConfig(OPENING_SCENARIO.config);

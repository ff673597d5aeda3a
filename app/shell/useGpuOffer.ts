import { useMemo, useState } from 'react';
import type { BackendReport } from '../../src/backend/types';
import { raceIdentity, type ExperimentConfig } from '../../src/config/experimentConfig';
import { gpuExperiment, gpuWon } from '../gpuSetting';
import type { ViewContext } from '../views/viewEntry';

/** The GPU won the timing: offer the heavier race it can afford, once, until dismissed or taken (onUse). */
export function useGpuOffer(report: BackendReport | null, experiment: ExperimentConfig, onUse: (setting: ExperimentConfig) => void) {
  const [dismissed, setDismissed] = useState(false);
  const setting = useMemo(() => gpuExperiment(), []);
  const offered = gpuWon(report) && !dismissed && raceIdentity(experiment) !== raceIdentity(setting);
  const offer: ViewContext['gpuOffer'] =
    offered && report?.measured
      ? { backend: report.backend, measured: report.measured.text, onUse: () => onUse(setting), onDismiss: () => setDismissed(true) }
      : null;
  return offer;
}

import { memo, useId, useState, type ReactNode } from 'react';
import type { ExperimentConfig } from '../../src/config/experimentConfig';
import { outputChannels, taskOf } from '../../src/domain/task';
import {
  MAX_LOSSES,
  MODEL_FIELDS,
  OPTIMIZER_FIELDS,
  TOP_FIELDS,
  defaultLosses,
  isLiveField,
  liveSettingsOf,
} from '../../src/config/experimentConfig';
import { readsSetting } from '../../src/train/optimizerRules';
import { fieldOf, type Field } from '../../src/schema/schema';
import { ParamInput } from '../ParamInput';
import { UI_FIELDS, type UiSettings } from '../uiSettings';
import { LossList } from './LossList';
import { Predictions } from './Predictions';
import { RaceCharts } from './RaceCharts';
import { useRaceInfo, useRaceStore, type RaceControls } from './useRace';
import { parameterCountOf } from '../../src/model/layerPlan';
import { RACE_CHAPTERS } from '../tour/scenario';
import { downloadBlob } from '../charts/download';
import { CHAPTERS, OPENING_SCENARIO } from '../../src/tour/chapters';
import { claimText } from '../../src/tour/claim';
import { MeasuredStep } from '../charts/lineChart';
import { KeepTrainingButton, useMeasuredStage } from './KeepTraining';
import { CONDITIONED_LOSS, FLAT_LOSS, pixelLoss } from '../../src/losses/lesson';
import { colourNameOf } from '../../src/losses/familyOf';
import { formatBytes } from '../../src/domain/numberText';
import type { ImportProblem } from '../../src/data/importedData';
import type { MemoryVerdict } from '../../src/train/memoryEstimate';
import type { SetupPhase, SetupReport } from '../../src/worker/raceSession';
import type { RaceStore } from './raceStore';
import { DataPanel } from '../data/DataPanel';
import type { DataSourceControls } from '../data/useDataSource';
import './RaceView.css';

type Section = 'data' | 'model' | 'optimizer';

function Fields({
  fields,
  values,
  onChange,
}: {
  fields: readonly Field[];
  values: Record<string, unknown>;
  onChange: (key: string, v: unknown) => void;
}) {
  return (
    <>
      {fields.map((f) => (
        <ParamInput key={f.key} def={f} value={values[f.key]} onChange={(v) => onChange(f.key, v)} />
      ))}
    </>
  );
}

const downloadConfig = (config: ExperimentConfig) =>
  downloadBlob(new Blob([`${JSON.stringify(config, null, 2)}\n`], { type: 'application/json' }), 'seg-loss-playground-config.json');

const PHASES: Record<SetupPhase, string> = {
  backend: 'Timing the backends on these settings',
  images: 'Generating images',
  build: 'Building the nets',
  evaluate: 'Evaluating the untrained nets',
  firstStep: 'First step',
};

/** What a set-up is doing, how far it is, and a way out of it. */
function SetupStatus({ setup, onCancel }: { setup: SetupReport; onCancel: () => void }) {
  const detail =
    setup.phase === 'images'
      ? `${setup.done} of ${setup.total} images`
      : setup.phase === 'firstStep'
        ? `run ${Math.min(setup.done + 1, setup.total)} of ${setup.total}`
        : '';
  return (
    <div className="setup" data-testid="setup-progress">
      {/* Only the phase is announced (a handful of times); the counts change too often to be read out. */}
      <span className="setup-label">
        <span role="status">Setting up the race: {PHASES[setup.phase]}</span>
        {detail && ` (${detail})`}…
      </span>
      <progress max={setup.total} value={setup.done} aria-label={`Set-up: ${PHASES[setup.phase]}`} />
      <button type="button" className="small" onClick={onCancel}>
        Cancel set-up
      </button>
    </div>
  );
}

/** The tour's races, loaded into the explorer by choosing one. */
function ScenarioMenu({ onScenario }: { onScenario: (slug: string) => void }) {
  return (
    <label className="param inline scenario-menu">
      <span>Scenarios</span>
      <select
        value=""
        onChange={(e) => {
          if (e.target.value) onScenario(e.target.value);
        }}
      >
        <option value="">load a chapter’s race…</option>
        {RACE_CHAPTERS.map((c) => (
          <option key={c.slug} value={c.slug}>
            {c.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Play/pause, step, reset and the step counter: the only controls that follow the training live. The explorer
 * adds the speed and the scenarios; the tour shows the bare transport.
 */
export function Transport({
  race,
  explorer,
}: {
  race: RaceControls;
  explorer?: {
    ui: UiSettings;
    onUi: (p: Partial<UiSettings>) => void;
    onScenario: (slug: string) => void;
  };
}) {
  const store = useRaceStore(race.store);
  return (
    <div className="transport">
      <button type="button" className="primary" onClick={race.toggle} disabled={!race.ready} aria-keyshortcuts="Space">
        {store.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={race.step} disabled={!race.ready || store.playing} aria-keyshortcuts="ArrowRight">
        Step
      </button>
      <button type="button" onClick={race.reset} disabled={!race.ready && !race.needsReset} aria-keyshortcuts="R">
        Reset
      </button>
      <output className="step-counter" aria-live="off" data-testid="step-counter">
        step {store.step}
      </output>
      {explorer && (
        <>
          <ParamInput
            def={fieldOf(UI_FIELDS, 'stepsPerSecond')}
            value={explorer.ui.stepsPerSecond}
            onChange={(v) => explorer.onUi({ stepsPerSecond: typeof v === 'number' ? v : null })}
          />
          <ScenarioMenu onScenario={explorer.onScenario} />
        </>
      )}
      {race.setup && <SetupStatus setup={race.setup} onCancel={race.cancelSetup} />}
    </div>
  );
}

/** The bare transport and the race's error, as the tour and an embedded figure show them. */
export function RaceControlsCard({ race, children }: { race: RaceControls; children?: ReactNode }) {
  return (
    <section className="card controls" aria-label="Training controls">
      <Transport race={race} />
      {children}
      {race.error && (
        <div className="notice notice-error" role="alert">
          {race.error}
        </div>
      )}
    </section>
  );
}

/** The estimated memory of these settings; a warning above a gigabyte, the reason when the backend cannot hold them. */
function MemoryNote({ memory }: { memory: MemoryVerdict }) {
  const size = formatBytes(memory.estimate.bytes);
  if (memory.level === 'refuse') {
    return (
      <div className="notice notice-error" role="alert" data-testid="memory-note">
        {memory.message} Nothing was built.
      </div>
    );
  }
  if (memory.level === 'warn') {
    return (
      <div className="notice" role="status" data-testid="memory-note">
        These settings need about {size} of memory: set-up and every step will be slow, and a phone or a small laptop may run out. To
        lighten them, lower {memory.estimate.lower}.
      </div>
    );
  }
  return null;
}

/** Losses, data, model and optimiser settings; redrawn only when a setting changes, not at every step. */
const Settings = memo(function Settings({
  experiment,
  onExperiment,
  parameterCount,
  memory,
  data,
  raceProblems,
}: {
  experiment: ExperimentConfig;
  onExperiment: (c: ExperimentConfig) => void;
  parameterCount: number | null;
  memory: MemoryVerdict | null;
  data: DataSourceControls;
  /** The imported pairs the race of these settings left out, each named (see useLeftOut). */
  raceProblems: readonly ImportProblem[];
}) {
  const setSection = (section: Section, key: string, v: unknown) => {
    const next = { ...experiment, [section]: { ...experiment[section], [key]: v } } as ExperimentConfig;
    if (section === 'data' && key === 'classes' && v !== experiment.data.classes) {
      next.losses = defaultLosses(v as number);
    }
    onExperiment(next);
  };
  // A live setting is shown where the chosen optimiser reads it (momentum for SGD, the betas for Adam).
  const optimizerFields = OPTIMIZER_FIELDS.filter((f) => !isLiveField(f) || readsSetting(experiment.optimizer.name, f.key));
  return (
    <div className="control-groups">
      <fieldset className="loss-group">
        <legend>Losses (up to {MAX_LOSSES})</legend>
        <LossList
          losses={experiment.losses}
          task={taskOf(experiment.data.classes)}
          onChange={(losses) => onExperiment({ ...experiment, losses })}
        />
      </fieldset>
      <fieldset>
        <legend>Model</legend>
        <Fields fields={MODEL_FIELDS} values={experiment.model} onChange={(k, v) => setSection('model', k, v)} />
        <p className="hint" data-testid="model-size">
          {parameterCount !== null && `${parameterCount} parameters`}
          {parameterCount !== null && memory && ' · '}
          {memory && `about ${formatBytes(memory.estimate.bytes)} in memory`}
        </p>
      </fieldset>
      <fieldset>
        <legend>Optimiser</legend>
        <Fields fields={optimizerFields} values={experiment.optimizer} onChange={(k, v) => setSection('optimizer', k, v)} />
        <ParamInput
          def={fieldOf(TOP_FIELDS, 'batchSize')}
          value={experiment.batchSize}
          onChange={(v) => onExperiment({ ...experiment, batchSize: v as number })}
        />
        <p className="hint">Learning rate, momentum and clipping apply at once, without a reset.</p>
      </fieldset>
      <DataPanel data={data} values={experiment.data} onField={(k, v) => setSection('data', k, v)} raceProblems={raceProblems}>
        <ParamInput
          def={fieldOf(TOP_FIELDS, 'seed')}
          value={experiment.seed}
          onChange={(v) => onExperiment({ ...experiment, seed: v as number })}
        />
      </DataPanel>
    </div>
  );
});

const NONE_LEFT_OUT: readonly ImportProblem[] = [];

/**
 * The imported pairs the race's sets left out (smaller than its image size), each named by the worker. Only those of
 * the race built for the settings shown: none while another is set up, or when the settings changed since.
 */
function useLeftOut(race: RaceControls, source: string): readonly ImportProblem[] {
  const info = useRaceInfo(race.store);
  const current = race.ready && !race.needsReset && info !== null && info.config.data.source === source;
  return current ? info.dataProblems : NONE_LEFT_OUT;
}

/** The whole race so far as the experiment CLI writes it (`npm run experiment -- --out`), named for its step. */
function ResultsButton({ race }: { race: RaceControls }) {
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const results = await race.results();
      if (!results) return;
      downloadBlob(
        new Blob([`${JSON.stringify(results, null, 1)}\n`], { type: 'application/json' }),
        `race-results-step-${results.steps}.json`,
      );
    } catch (e) {
      setError(`The results could not be read: ${(e as Error).message}`);
    }
  };
  return (
    <>
      <button
        type="button"
        className="small"
        onClick={save}
        disabled={!race.ready}
        title="Every series of every run, in the experiment CLI’s format"
      >
        results JSON
      </button>
      {error && <span role="alert">{error}</span>}
    </>
  );
}

export function LiveCharts({ race, ui, onUi }: { race: RaceControls; ui: UiSettings; onUi: (p: Partial<UiSettings>) => void }) {
  const store = useRaceStore(race.store);
  const names = store.runs.map((r) => r.name);
  const diverged = store.runs
    .map((r, i) => (r.diverged !== null ? `${names[i]} diverged at step ${r.diverged}: ${r.divergedBecause}.` : null))
    .filter(Boolean);
  return (
    <section className="card" aria-label="Charts">
      <div className="run-legend-row">
        <ul className="run-legend" aria-label="Runs">
          {store.runs.map((r, i) => (
            <li key={i}>
              <span className="swatch" style={{ background: r.color }} /> {names[i]}
            </li>
          ))}
        </ul>
        <ResultsButton race={race} />
      </div>
      <MeasuredStep.Provider value={race.measuredStep}>
        <RaceCharts
          runs={store.runs}
          layerNames={store.info?.layerNames ?? []}
          classes={store.info?.classes ?? 2}
          step={store.step}
          ui={ui}
          onUi={onUi}
        />
      </MeasuredStep.Provider>
      {diverged.length > 0 && (
        <p className="notice" role="status">
          {diverged.join(' ')} The other runs go on; Reset starts all of them again.
        </p>
      )}
    </section>
  );
}

export function PredictionsCard({ store }: { store: RaceStore }) {
  const id = useId();
  // The plateau's sentence belongs to races that have a 1 − IoU run.
  const flat = useRaceStore(store).runs.some((r) => r.spec.id === FLAT_LOSS);
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>Predictions</h2>
      <p className="caption">
        Object probability on four validation images (dark 0, yellow 1) and, in red, the outline of what each run would predict after
        thresholding.{flat && ' A run on the 1 − IoU plateau shows a dark map with no outline.'}
      </p>
      <LivePredictions store={store} />
    </section>
  );
}

function LivePredictions({ store: s }: { store: RaceStore }) {
  const store = useRaceStore(s);
  const info = store.info;
  const names = store.runs.map((r) => r.name);
  return info ? (
    <Predictions images={info.previewImages} labels={info.previewLabels} size={info.size} runs={store.runs} names={names} />
  ) : (
    <p>Preparing the race…</p>
  );
}

const opening = CHAPTERS.find((c) => c.figure === OPENING_SCENARIO)!;
/** A claim of the opening chapter as its text prints it: the measured value, or the bound. */
const openingSays = (id: string) => claimText(opening.claims.find((c) => c.id === id)!);

/** The colour each loss of the opening race is drawn in (src/losses/lossFamily.ts), as the hint names it. */
const colourOf = (id: string) => colourNameOf({ id });

/** What to look for in the opening race, and the way into the tour; shown until dismissed or the race changes. */
function Callout({ race, onTour, onDismiss }: { race: RaceControls; onTour: () => void; onDismiss: () => void }) {
  // The hint is a claim measured at the opening race's step, where the race stops: past it (the reader kept
  // training), it says what happens next instead, as the chapter does.
  const stage = useMeasuredStage(race);
  const tour = (
    <button type="button" className="link-button" onClick={onTour}>
      Why? Take the guided tour →
    </button>
  );
  return (
    <div className="callout" role="note" aria-label="What to look for" data-testid="callout">
      {stage === 'past' ? (
        <p>
          <strong>Past step {OPENING_SCENARIO.config.steps}:</strong> {OPENING_SCENARIO.after?.text} {tour}
        </p>
      ) : (
        <p>
          <strong>Press Play.</strong> Every pixel starts at p = 10⁻⁴. 1 − IoU ({colourOf(FLAT_LOSS)}) stays flat: after{' '}
          {OPENING_SCENARIO.config.steps} steps its validation IoU is still {openingSays('flat-stays')}, against {openingSays('log-learns')}{' '}
          for −log IoU ({colourOf(CONDITIONED_LOSS)}) and {openingSays('bce-learns')} for BCE ({colourOf(pixelLoss('binary'))}). Its
          gradient starts {openingSays('gradient-ratio')} times smaller.{' '}
          {stage === 'at' && (
            <>
              The race stopped there. <KeepTrainingButton race={race} />{' '}
            </>
          )}
          {tour}
        </p>
      )}
      <button type="button" className="notice-close" onClick={onDismiss} aria-label="Dismiss the hint">
        ×
      </button>
    </div>
  );
}

export function RaceView({
  experiment,
  ui,
  race,
  onExperiment,
  onUi,
  onScenario,
  callout,
  gpu = null,
  data,
}: {
  experiment: ExperimentConfig;
  ui: UiSettings;
  race: RaceControls;
  onExperiment: (c: ExperimentConfig) => void;
  onUi: (p: Partial<UiSettings>) => void;
  onScenario: (slug: string) => void;
  /** The opening race's hint, while it is shown. */
  callout: { onTour: () => void; onDismiss: () => void } | null;
  /** The measured choice landed on a GPU: the heavier race it can afford, offered until taken or dismissed. */
  gpu?: { backend: string; measured: string; onUse: () => void; onDismiss: () => void } | null;
  /** Where the race's images come from: synthetic shapes or an import (app/data/useDataSource.ts). */
  data: DataSourceControls;
}) {
  const info = race.store.info;
  const leftOut = useLeftOut(race, experiment.data.source);
  return (
    <div className="race">
      <section className="card controls" aria-label="Training controls">
        <Transport race={race} explorer={{ ui, onUi, onScenario }} />
        {callout && <Callout race={race} {...callout} />}
        {gpu && (
          <div className="notice" role="status" data-testid="gpu-offer">
            <span>
              {gpu.backend} is the fastest backend here ({gpu.measured}). A GPU can afford a heavier race: 64 px images, batch 32, a U-Net
              of width 16 and six losses, from the same collapsed start.
            </span>
            <span className="row">
              <button type="button" onClick={gpu.onUse}>
                Use the GPU setting
              </button>
              <button type="button" onClick={gpu.onDismiss}>
                No, thanks
              </button>
            </span>
          </div>
        )}
        {race.needsReset && (
          <div className="notice" role="status">
            <span>Data, model, loss or optimiser changes start a new race.</span>
            <span className="row">
              <button type="button" onClick={race.applyChanges}>
                Reset and apply
              </button>
              {info && (
                <button
                  type="button"
                  onClick={() =>
                    onExperiment({ ...info.config, optimizer: { ...info.config.optimizer, ...liveSettingsOf(experiment.optimizer) } })
                  }
                >
                  Undo changes
                </button>
              )}
            </span>
          </div>
        )}
        {race.cancelled && (
          <div className="notice" role="status">
            <span>Set-up cancelled: these settings have no race yet.</span>
            <span className="row">
              <button type="button" onClick={race.applyChanges}>
                Set up again
              </button>
              {info && (
                <button
                  type="button"
                  onClick={() =>
                    onExperiment({ ...info.config, optimizer: { ...info.config.optimizer, ...liveSettingsOf(experiment.optimizer) } })
                  }
                >
                  Back to the last race’s settings
                </button>
              )}
            </span>
          </div>
        )}
        {race.error && (
          <div className="notice notice-error" role="alert">
            {race.error}
          </div>
        )}
        {race.memory && <MemoryNote memory={race.memory} />}
      </section>
      {/* Figure first: the charts and predictions, then the settings that made them. */}
      <LiveCharts race={race} ui={ui} onUi={onUi} />
      <PredictionsCard store={race.store} />
      <section className="card" aria-labelledby="settings-title">
        <div className="card-head">
          <h2 id="settings-title">Settings</h2>
          <button type="button" onClick={() => downloadConfig(experiment)}>
            Download config
          </button>
        </div>
        <Settings
          experiment={experiment}
          onExperiment={onExperiment}
          parameterCount={parameterCountOf(experiment.model, outputChannels(experiment.data.classes), experiment.data.channels)}
          memory={race.memory}
          data={data}
          raceProblems={leftOut}
        />
      </section>
    </div>
  );
}

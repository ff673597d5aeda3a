import { useMemo } from 'react';
import { formatBytes, sci } from '../../src/domain/numberText';
import { LANDSCAPE_FIELDS, type LandscapeSettings } from '../../src/landscape/landscapeSettings';
import { fieldOf } from '../../src/schema/schema';
import type { LandscapeRun } from '../../src/landscape/raceLandscape';
import { ParamInput } from '../ParamInput';
import { Cell, paintImage, paintPrediction, paintTruth } from '../race/Predictions';
import type { RaceStore } from '../race/raceStore';
import { useRaceStore, type RaceControls } from '../race/useRace';
import type { EngineClient } from '../engineClient';
import { downloadBlob } from '../charts/download';
import { PathChart } from './PathChart';
import { SliceMap } from './SliceMap';
import { domains, groupOf, MAP_KINDS, usesLog, type MapKind } from './sliceScales';
import { useLandscape, type LandscapeControls, type LandscapeStage, type PickedPoint } from './useLandscape';
import './LandscapeView.css';

/** Steps the "Train" button adds. */
const TRAIN_STEPS = 50;

/** The maps' titles; with several classes the well-conditioned yardstick is softmax cross-entropy, not BCE. */
const mapTitles = (classes: number): Record<MapKind, string> => ({
  loss: 'the run’s loss',
  iou: classes === 2 ? 'validation hard IoU' : 'validation hard IoU (mean over the object classes)',
  bce: classes === 2 ? 'BCE, for comparison' : 'cross-entropy, for comparison',
});

function Progress({ stage, onCancel }: { stage: LandscapeStage; onCancel: () => void }) {
  const elapsed = (performance.now() - stage.startedAt) / 1000;
  const left = stage.done > 0 ? (elapsed / stage.done) * (stage.total - stage.done) : null;
  return (
    <div className="setup" data-testid="landscape-progress">
      <span className="setup-label">
        <span role="status">
          Computing the {stage.grid} × {stage.grid} slice
        </span>{' '}
        ({stage.done} of {stage.total} weight sets{left !== null && left > 0.5 ? `, about ${Math.ceil(left)} s left` : ''})…
      </span>
      <progress max={stage.total} value={stage.done} aria-label={`Landscape: ${stage.grid} × ${stage.grid} slice`} />
      <button type="button" className="small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** What the net predicts at the picked point, beside the truth. */
function PointPredictions({ store, picked, slice }: { store: RaceStore; picked: PickedPoint | null; slice: LandscapeRun['slice'] }) {
  const info = store.info;
  if (!info) return null;
  const n = info.size * info.size;
  const count = Math.floor(info.previewImages.length / n);
  const images = Array.from({ length: count }, (_, i) => i);
  return (
    <figure className="point-predictions" data-testid="point-predictions">
      <figcaption>
        {picked ? `Predictions at (${sci(slice.x[picked.i])}, ${sci(slice.y[picked.j])})` : 'Click a map to see the predictions there'}
        <span className="point-rows">rows: image, truth, the net’s probability (red: its thresholded outline)</span>
      </figcaption>
      <div className="point-grid">
        {images.map((img) => (
          <Cell
            key={`i${img}`}
            size={info.size}
            content={info.previewImages}
            label={`input image ${img + 1}`}
            paint={paintImage(info.previewImages, img, n)}
          />
        ))}
        {images.map((img) => (
          <Cell
            key={`t${img}`}
            size={info.size}
            content={info.previewLabels}
            label={`ground truth ${img + 1}`}
            paint={paintTruth(info.previewLabels, img, n)}
          />
        ))}
        {images.map((img) => (
          <Cell
            key={`p${img}`}
            size={info.size}
            content={picked?.snapshot ?? null}
            label={picked?.snapshot ? `prediction ${img + 1} at the picked point` : 'no point picked yet'}
            paint={paintPrediction(picked?.snapshot ?? null, img, info.size)}
          />
        ))}
      </div>
    </figure>
  );
}

function RunPanel({
  run,
  name,
  color,
  log,
  scales,
  landscape,
  store,
}: {
  run: LandscapeRun;
  name: string;
  color: string;
  log: boolean;
  scales: ReturnType<typeof domains>;
  landscape: LandscapeControls;
  store: RaceStore;
}) {
  const { slice, trajectory } = run;
  const axis = (k: 0 | 1) =>
    trajectory ? `PC${k + 1} (${(100 * trajectory.explained[k]).toFixed(0)}% of the trajectory)` : `direction ${k + 1}`;
  const picked = landscape.picked?.run === run.index ? landscape.picked : null;
  const titles = mapTitles(store.info?.classes ?? 2);
  const centre = slice.loss[Math.floor(slice.y.length / 2) * slice.x.length + Math.floor(slice.x.length / 2)];
  return (
    <section className="card landscape-run" data-testid="landscape-run" aria-label={`Landscape of ${name}`}>
      <h3>
        <span className="swatch" style={{ background: color }} /> {name}
      </h3>
      <div className="landscape-panels">
        {run.path.alpha.length > 0 && <PathChart run={run} color={color} log={log} />}
        {MAP_KINDS.map((kind) => {
          const values = slice[kind];
          const finite = values.filter(Number.isFinite);
          return (
            <SliceMap
              key={kind}
              title={titles[kind]}
              x={slice.x}
              y={slice.y}
              values={values}
              domain={scales.get(groupOf(run, kind))!}
              log={usesLog(kind, log)}
              xLabel={axis(0)}
              yLabel={axis(1)}
              trajectory={trajectory}
              picked={picked}
              onPick={(i, j) => void landscape.pick(run.index, i, j)}
              format={sci}
              summary={`${titles[kind]} of ${name} over a ${slice.x.length} × ${slice.y.length} slice: from ${sci(Math.min(...finite))} to ${sci(Math.max(...finite))}${kind === 'loss' ? `, ${sci(centre)} at the trained weights` : ''}`}
            />
          );
        })}
        <PointPredictions store={store} picked={picked} slice={slice} />
      </div>
    </section>
  );
}

/** The race's step, and Play and Train, so that the landscape can be computed where the race is wanted. */
function RaceRow({ race, store }: { race: RaceControls; store: RaceStore }) {
  return (
    <div className="row landscape-race">
      <span data-testid="landscape-step">
        {race.ready ? `The race is at step ${store.step}${store.playing ? ' (training)' : ''}.` : 'Setting up the race…'}
      </span>
      <button type="button" className="primary" disabled={!race.ready} onClick={race.toggle}>
        {store.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" disabled={!race.ready || store.playing} onClick={() => void race.train(TRAIN_STEPS)}>
        Train {TRAIN_STEPS} steps
      </button>
      {race.error && <span className="field-error">{race.error}</span>}
    </div>
  );
}

/** Which checkpoint, the slice's settings, the colour scale and the runs; Recompute and the landscape's file. */
function LandscapeSettingsRow({
  race,
  store,
  settings,
  log,
  onSettings,
  onLog,
  landscape,
}: {
  race: RaceControls;
  store: RaceStore;
  settings: LandscapeSettings;
  log: boolean;
  onSettings: (s: LandscapeSettings) => void;
  onLog: (log: boolean) => void;
  landscape: LandscapeControls;
}) {
  const { result, stage, trail } = landscape;
  const set = (key: keyof LandscapeSettings) => (v: unknown) => onSettings({ ...settings, [key]: v });
  const chosen = settings.runs ?? store.runs.map((_, i) => i);
  const toggleRun = (i: number) => {
    const next = chosen.includes(i) ? chosen.filter((r) => r !== i) : [...chosen, i].sort((a, b) => a - b);
    if (next.length) onSettings({ ...settings, runs: next.length === store.runs.length ? undefined : next });
  };
  return (
    <div className="row landscape-controls">
      <label className="param inline">
        <span>{fieldOf(LANDSCAPE_FIELDS, 'step').label}</span>
        <select
          value={settings.step === null ? 'now' : String(settings.step)}
          onChange={(e) => set('step')(e.target.value === 'now' ? null : Number(e.target.value))}
        >
          <option value="now">now</option>
          {[...new Set([...(trail?.steps ?? []), ...(settings.step === null ? [] : [settings.step])])]
            .sort((a, b) => a - b)
            .map((s) => (
              <option key={s} value={s}>
                checkpoint at step {s}
              </option>
            ))}
        </select>
      </label>
      {(['dirs', 'seed', 'grid'] as const).map((key) => (
        <ParamInput key={key} def={fieldOf(LANDSCAPE_FIELDS, key)} value={settings[key]} onChange={set(key)} />
      ))}
      <label className="param inline">
        <input type="checkbox" checked={log} onChange={(e) => onLog(e.target.checked)} />
        <span>log colour scale</span>
      </label>
      <fieldset className="landscape-runs">
        <legend>Runs</legend>
        {store.runs.map((r, i) => (
          <label key={i} className="inline">
            <input type="checkbox" checked={chosen.includes(i)} onChange={() => toggleRun(i)} />
            <span className="swatch" style={{ background: r.color }} /> {r.name}
          </label>
        ))}
      </fieldset>
      <button type="button" disabled={!race.ready || stage !== null} onClick={() => void landscape.compute()}>
        Recompute
      </button>
      {/* The CLI's file (npm run landscape -- --out), so a figure drawn elsewhere starts from the same numbers. */}
      <button
        type="button"
        disabled={!result}
        onClick={() =>
          result &&
          downloadBlob(
            new Blob([JSON.stringify(result)], { type: 'application/json' }),
            `landscape-step-${result.step}-${landscape.grid}x${landscape.grid}.json`,
          )
        }
      >
        landscape JSON
      </button>
    </div>
  );
}

/** What the maps show (or why there are none yet), in one announced line. */
function statusOf(race: RaceControls, store: RaceStore, settings: LandscapeSettings, landscape: LandscapeControls): string {
  const { result } = landscape;
  if (!race.ready) return '';
  if (store.step === 0 && !result)
    return 'Train the race (Play, or Train 50 steps), then pause: the landscape is computed around where it stands.';
  if (landscape.cancelled) return `Cancelled${landscape.grid ? `; showing the ${landscape.grid} × ${landscape.grid} slice` : ''}.`;
  if (!result) return '';
  const stale = settings.step === null && result.step !== store.step;
  return `Weights of step ${result.step}, ${landscape.grid} × ${landscape.grid} slice.${stale ? ` The race has moved on to step ${store.step}: pause it to recompute.` : ''}`;
}

/**
 * The weight-space landscape of the race the explorer trains: for each run the path from the initial weights
 * through the trained ones, and a slice around the trained weights (random filter-normalised or PCA directions)
 * of its loss, the hard IoU and BCE. Computed in the worker from copied weights; the race pauses meanwhile.
 */
export function LandscapeView({
  engine,
  race,
  settings,
  log,
  onSettings,
  onLog,
}: {
  engine: EngineClient | null;
  race: RaceControls;
  settings: LandscapeSettings;
  log: boolean;
  onSettings: (s: LandscapeSettings) => void;
  onLog: (log: boolean) => void;
}) {
  const store = useRaceStore(race.store);
  const at = race.ready && !store.playing && store.step > 0 ? store.step : null;
  const landscape = useLandscape(engine, race.ready, settings, at);
  const { result, stage, trail } = landscape;
  const scales = useMemo(() => (result ? domains(result.runs) : new Map()), [result]);

  return (
    <div className="landscape">
      <section className="card" aria-labelledby="landscape-title">
        <h2 id="landscape-title">The network’s own loss landscape</h2>
        <p>
          Around the weights each run has trained to: the <strong>path</strong> from the initial weights θ₀ through the trained ones θ
          <sub>t</sub> (Goodfellow et al. 2015), and a <strong>slice</strong> through weight space along two directions (Li et al. 2018), of
          the run’s loss, of the hard IoU we report, and of BCE. Where 1 − IoU is flat, its gradient is too; the IoU map shows the plateaus
          and cliffs of the metric itself.
        </p>
        <RaceRow race={race} store={store} />
        <LandscapeSettingsRow
          race={race}
          store={store}
          settings={settings}
          log={log}
          onSettings={onSettings}
          onLog={onLog}
          landscape={landscape}
        />
        {stage && <Progress stage={stage} onCancel={landscape.cancel} />}
        <p className="landscape-status" role="status">
          {statusOf(race, store, settings, landscape)}
        </p>
        {landscape.error && (
          <p className="field-error" role="alert">
            {landscape.error}
          </p>
        )}
        {trail && (
          <p className="landscape-note">
            The race keeps {trail.steps.length} of at most {trail.limit} checkpoints (every {trail.every} steps now; fewer and further apart
            as it trains): {formatBytes(trail.bytes)}, at most {formatBytes(trail.fullBytes)}. PCA directions come from them.
          </p>
        )}
      </section>
      {result?.runs.map((run) => (
        <RunPanel
          key={run.index}
          run={run}
          name={store.runs[run.index]?.name ?? run.loss.id}
          color={store.runs[run.index]?.color ?? 'currentColor'}
          log={log}
          scales={scales}
          landscape={landscape}
          store={race.store}
        />
      ))}
    </div>
  );
}

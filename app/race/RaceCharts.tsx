import { useState } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import { CONDITIONED_LOSS, FLAT_LOSS } from '../../src/losses/lesson';
import { familyOf } from '../../src/losses/familyOf';
import { LOSS_FAMILIES } from '../../src/losses/lossFamily';
import type { ChartSeries } from '../charts/lineChart';
import type { GradMetric, IouMetric, LossScale, UiSettings } from '../uiSettings';
import { ChartPanel, type LineStyle } from './ChartPanel';
import { gradientComparison } from './gradientRatio';
import { runMetric, type RunSeries } from './raceStore';
import './RaceCharts.css';

const sci = sciFormat({ exponentDigits: 1 });
const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const pct = (v: number) => v.toFixed(2);

/** The line styles of the gradient chart's measure, for its legend: dashed lines are another pixel class or layer. */
function gradStyles(grad: GradMetric, layerNames: string[]): LineStyle[] {
  if (grad === 'logit') {
    return [
      { dashed: false, label: 'object pixels' },
      { dashed: true, label: 'background pixels' },
    ];
  }
  if (grad === 'layers' && layerNames.length > 1) {
    return [false, true].map((dashed) => ({ dashed, label: layerNames.filter((_, l) => l % 2 === Number(dashed)).join(', ') }));
  }
  return [];
}

/** The family's name of a run (1 − IoU, −log IoU), for sentences that compare two runs. */
const familyName = (r: RunSeries) => LOSS_FAMILIES[familyOf(r.spec)].label;

function Toggle<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: [T, string][];
  onChange: (v: T) => void;
}) {
  return (
    <label className="param inline">
      <span className="visually-hidden">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} aria-label={label}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Each run's loss, raw or divided by its first value. */
function lossSeriesOf(runs: RunSeries[], scale: LossScale): ChartSeries[] {
  return runs.map((r, i) => {
    const { x, y } = runMetric(r, 'loss');
    const first = r.first?.loss || 1;
    return {
      id: `${i}`,
      label: r.name,
      color: r.color,
      x,
      y: scale === 'normalised' ? y.map((v) => v / first) : y,
      divergedAt: r.diverged,
      endsAt: r.diverged,
    };
  });
}

/** Each run's gradient in the chosen measure: one global norm, a line per layer, or object against background pixels. */
function gradSeriesOf(runs: RunSeries[], grad: GradMetric, layerNames: string[]): ChartSeries[] {
  return runs.flatMap((r, i): ChartSeries[] => {
    if (grad === 'layers') {
      return layerNames.map((name, l) => ({
        id: `${i}-${name}`,
        label: `${r.name} · ${name}`,
        color: r.color,
        dashed: l % 2 === 1,
        ...runMetric(r, `layer:${l}`),
        endsAt: r.diverged,
      }));
    }
    if (grad === 'logit') {
      return [
        {
          id: `${i}-fg`,
          label: `${r.name} · object px`,
          color: r.color,
          ...runMetric(r, 'logitGradFg'),
          divergedAt: r.diverged,
          endsAt: r.diverged,
        },
        {
          id: `${i}-bg`,
          label: `${r.name} · background px`,
          color: r.color,
          dashed: true,
          ...runMetric(r, 'logitGradBg'),
          endsAt: r.diverged,
        },
      ];
    }
    return [{ id: `${i}`, label: r.name, color: r.color, ...runMetric(r, 'gradNorm'), divergedAt: r.diverged, endsAt: r.diverged }];
  });
}

/** Each run's validation IoU in the chosen measure. */
const iouSeriesOf = (runs: RunSeries[], metric: IouMetric): ChartSeries[] =>
  runs.map((r, i) => ({
    id: `${i}`,
    label: r.name,
    color: r.color,
    ...runMetric(r, `eval:${metric}`),
    divergedAt: r.diverged,
    endsAt: r.diverged,
  }));

/**
 * The comparison of 1 − IoU with −log IoU, under the gradient chart. It belongs to races that have both: it is not
 * said where either is missing.
 */
function GradientPair({ runs }: { runs: RunSeries[] }) {
  const soft = runs.find((r) => r.spec.id === FLAT_LOSS);
  const log = runs.find((r) => r.spec.id === CONDITIONED_LOSS);
  if (!soft || !log) return null;
  const gradOf = (r: RunSeries) => ({ name: familyName(r), grad: r.last?.gradNorm ?? NaN });
  return (
    <>
      {' '}
      While predictions sit near 0, 1 − IoU’s gradient is about p times −log IoU’s.
      {/* Its own line, kept even while empty, so the page below does not jump as the number changes or appears. */}
      <span className="live-note">{gradientComparison(gradOf(log), gradOf(soft))}</span>
    </>
  );
}

/** Loss, gradient magnitude and validation IoU side by side on one step axis, with a shared hover crosshair. */
export function RaceCharts({
  runs,
  layerNames,
  classes,
  step,
  ui,
  onUi,
}: {
  runs: RunSeries[];
  layerNames: string[];
  classes: number;
  step: number;
  ui: UiSettings;
  onUi: (p: Partial<UiSettings>) => void;
}) {
  const [hover, setHover] = useState<number | null>(null);
  // Without background, the mean IoU is the object classes' IoU, which 'iou' already is: an old link's
  // `iou=miouNoBg` shows that one, and the menu offers only the two measures that differ.
  const iouMetric = ui.iou === 'miouNoBg' ? 'iou' : ui.iou;
  // What every panel shares: the step axis, the crosshair and the export's name.
  const shared = { exportAs: { view: 'race', step }, xMax: Math.max(step, 10), hoverStep: hover, onHover: setHover } as const;

  return (
    <div className="charts">
      <ChartPanel
        {...shared}
        title="Loss"
        series={lossSeriesOf(runs, ui.lossScale)}
        yScale="linear"
        format={short}
        controls={
          <Toggle<LossScale>
            label="Loss scale"
            value={ui.lossScale}
            onChange={(v) => onUi({ lossScale: v })}
            options={[
              ['normalised', 'relative to start'],
              ['raw', 'raw values'],
            ]}
          />
        }
        caption={
          <>
            Each loss on its own scale{ui.lossScale === 'normalised' ? ', divided by its first value' : ''}. A line that stays flat while
            the others fall is stuck on a plateau.
          </>
        }
      />
      <ChartPanel
        {...shared}
        title="Gradient magnitude"
        series={gradSeriesOf(runs, ui.grad, layerNames)}
        lineStyles={gradStyles(ui.grad, layerNames)}
        yScale="log"
        format={sci}
        controls={
          <Toggle<GradMetric>
            label="Gradient measure"
            value={ui.grad}
            onChange={(v) => onUi({ grad: v })}
            options={[
              ['global', '‖∂L/∂θ‖ global'],
              ['layers', 'per layer'],
              ['logit', '|∂L/∂logit| object vs background'],
            ]}
          />
        }
        caption={
          <>
            Log axis: one step down is ten times smaller.
            <GradientPair runs={runs} />
          </>
        }
      />
      <ChartPanel
        {...shared}
        title="Validation IoU"
        series={iouSeriesOf(runs, iouMetric)}
        yScale="linear"
        yDomain={[0, 1]}
        format={pct}
        controls={
          <Toggle<IouMetric>
            label="IoU measure"
            value={iouMetric}
            onChange={(v) => onUi({ iou: v })}
            options={[
              ['iou', classes === 2 ? 'foreground IoU' : 'mIoU of the objects'],
              ['miou', 'mIoU with background'],
            ]}
          />
        }
        caption={<>The thresholded metric people report, on the fixed validation set. It is what every loss here is a stand-in for.</>}
      />
    </div>
  );
}

import { useState } from 'react';
import { CONDITIONED_LOSS, FLAT_LOSS } from '../../src/losses/lesson';
import { fieldText } from '../../src/config/schema';
import { definitionOf, lossName } from '../../src/losses/registry';
import type { ChartSeries } from '../charts/lineChart';
import type { GradMetric, IouMetric, LossScale, UiSettings } from '../state';
import { ChartPanel } from './ChartPanel';
import { runMetric, type RunSeries } from './raceStore';

const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toPrecision(3) : v.toExponential(1));
const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const pct = (v: number) => v.toFixed(2);

/**
 * A run's legend name: the loss's name, and where another run has the same loss, the options that tell them apart
 * ("−log IoU (aggregation perImage)"); runs that differ in nothing are numbered.
 */
export const runName = (r: RunSeries, i: number, all: RunSeries[]) => {
  const base = lossName(r.spec);
  const twins = all.filter((o) => o.spec.id === r.spec.id);
  if (twins.length === 1) return base;
  const params = definitionOf(r.spec).params;
  const differing = params.filter((p) => twins.some((o) => JSON.stringify(o.spec[p.key]) !== JSON.stringify(r.spec[p.key])));
  const same = twins.filter((o) => differing.every((p) => JSON.stringify(o.spec[p.key]) === JSON.stringify(r.spec[p.key])));
  const show = (v: unknown) => (v === undefined ? 'none' : Array.isArray(v) ? `[${v.join(', ')}]` : fieldText(v));
  const options = differing.map((p) => `${p.label} ${show(r.spec[p.key])}`).join(', ');
  return `${base}${options ? ` (${options})` : ''}${same.length > 1 ? ` #${i + 1}` : ''}`;
};

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
  const names = runs.map((r, i) => runName(r, i, runs));
  const xMax = Math.max(step, 10);

  const lossSeries: ChartSeries[] = runs.map((r, i) => {
    const { x, y } = runMetric(r, 'loss');
    const first = r.first?.loss || 1;
    return {
      id: `${i}`,
      label: names[i],
      color: r.color,
      x,
      y: ui.lossScale === 'normalised' ? y.map((v) => v / first) : y,
      divergedAt: r.diverged,
      endsAt: r.diverged,
    };
  });

  const gradSeries: ChartSeries[] = runs.flatMap((r, i): ChartSeries[] => {
    if (ui.grad === 'layers') {
      return layerNames.map((name, l) => ({
        id: `${i}-${name}`,
        label: `${names[i]} · ${name}`,
        color: r.color,
        dashed: l % 2 === 1,
        ...runMetric(r, `layer:${l}`),
        endsAt: r.diverged,
      }));
    }
    if (ui.grad === 'logit') {
      return [
        {
          id: `${i}-fg`,
          label: `${names[i]} · object px`,
          color: r.color,
          ...runMetric(r, 'logitGradFg'),
          divergedAt: r.diverged,
          endsAt: r.diverged,
        },
        {
          id: `${i}-bg`,
          label: `${names[i]} · background px`,
          color: r.color,
          dashed: true,
          ...runMetric(r, 'logitGradBg'),
          endsAt: r.diverged,
        },
      ];
    }
    return [{ id: `${i}`, label: names[i], color: r.color, ...runMetric(r, 'gradNorm'), divergedAt: r.diverged, endsAt: r.diverged }];
  });

  // Without background, the mean IoU is the object classes' IoU, which 'iou' already is: an old link's
  // `iou=miouNoBg` shows that one, and the menu offers only the two measures that differ.
  const iouMetric = ui.iou === 'miouNoBg' ? 'iou' : ui.iou;
  const iouSeries: ChartSeries[] = runs.map((r, i) => ({
    id: `${i}`,
    label: names[i],
    color: r.color,
    ...runMetric(r, `eval:${iouMetric}`),
    divergedAt: r.diverged,
    endsAt: r.diverged,
  }));

  const soft = runs.findIndex((r) => r.spec.id === FLAT_LOSS);
  const log = runs.findIndex((r) => r.spec.id === CONDITIONED_LOSS);
  const ratio = soft >= 0 && log >= 0 ? (runs[log].last?.gradNorm ?? NaN) / (runs[soft].last?.gradNorm ?? NaN) : NaN;
  // Its own line, kept even while empty, so the page below does not jump as the number changes or appears.
  const ratioLine = soft >= 0 && log >= 0 && (
    <span className="live-note">
      {Number.isFinite(ratio) ? `Now −log IoU’s gradient is ${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}× 1 − IoU’s.` : ''}
    </span>
  );

  return (
    <div className="charts">
      <ChartPanel
        exportAs={{ view: 'race', step }}
        title="Loss"
        series={lossSeries}
        yScale="linear"
        xMax={xMax}
        hoverStep={hover}
        onHover={setHover}
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
        exportAs={{ view: 'race', step }}
        title="Gradient magnitude"
        series={gradSeries}
        yScale="log"
        xMax={xMax}
        hoverStep={hover}
        onHover={setHover}
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
            Log axis: one step down is ten times smaller. While predictions sit near 0, 1 − IoU’s gradient is about p times −log IoU’s.
            {ratioLine}
          </>
        }
      />
      <ChartPanel
        exportAs={{ view: 'race', step }}
        title="Validation IoU"
        series={iouSeries}
        yScale="linear"
        yDomain={[0, 1]}
        xMax={xMax}
        hoverStep={hover}
        onHover={setHover}
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

import { memo, useCallback, useRef, useState } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import { logit } from '../../src/analytic/surface';
import { ANALYTIC_PARTS, type AnalyticPart } from '../../src/tour/chapters';
import { CONDITIONED_LOSS, FLAT_LOSS } from '../../src/losses/lesson';
import { fieldOf } from '../../src/schema/schema';
import { ParamInput } from '../ParamInput';
import { LossList } from '../race/LossList';
import { ratioText } from '../race/gradientRatio';
import { SURFACE_FIELDS, type SurfaceSettings } from './surfaceSettings';
import { ArrowKey } from './ArrowKey';
import { CurveLegend } from './CurveLegend';
import { CurvePanel } from './CurvePanel';
import { Heatmap } from './Heatmap';
import { MapsDownload } from './MapsDownload';
import { mapsNote, scaleSentence } from './mapScales';
import { Demos } from './Demos';
import { formatP, LogitSlider } from './LogitSlider';
import { linearTrack, ValueSlider, zeroLogTrack } from './ValueSlider';
import { HARD_MAP, HARD_NAME, useSurfaceFrame, type SurfaceFrame } from './useSurfaceFrame';
import './SurfaceView.css';

const sci = sciFormat({ smallest: 0.001 });
/** The sliders' settings: their labels and ranges are the schema's. */
const FOREGROUND = fieldOf(SURFACE_FIELDS, 'foreground');
const SMOOTH = fieldOf(SURFACE_FIELDS, 'smooth');
const FG_TRACK = linearTrack(FOREGROUND.min, FOREGROUND.max);
/** Smoothing's track is logarithmic from this, its smallest value above 0, up to the setting's maximum. */
const SMOOTH_TRACK = zeroLogTrack(1e-5, SMOOTH.max);

/** The loss list, memoised: moving a slider does not redraw its formulas. */
const LossPicker = memo(function LossPicker({
  losses,
  onChange,
}: {
  losses: SurfaceSettings['losses'];
  onChange: (l: SurfaceSettings['losses']) => void;
}) {
  return (
    <fieldset>
      <legend>Losses</legend>
      <LossList losses={losses} task="binary" onChange={onChange} />
    </fieldset>
  );
});

/** What every card gets: the settings, the frame drawn from them, and where the card goes among the view's parts. */
interface CardProps {
  surface: SurfaceSettings;
  frame: SurfaceFrame;
  order: number;
}

function ToyCard({
  surface,
  frame,
  order,
  set,
  setLosses,
  onTrain,
}: CardProps & {
  set: (patch: Partial<SurfaceSettings>) => void;
  setLosses: (l: SurfaceSettings['losses']) => void;
  onTrain?: () => void;
}) {
  const { toy } = frame;
  return (
    <section className="card" aria-labelledby="toy-title" style={{ order }}>
      <h2 id="toy-title">A toy prediction</h2>
      <p className="caption">
        {toy.n} pixels, {toy.f} of them foreground. Every foreground pixel predicts p<sub>fg</sub>, every background pixel p<sub>bg</sub>.
        Drag the confidences and watch each loss, its gradient and the hard IoU respond.
      </p>
      <div className="surface-controls">
        <LogitSlider label="confidence on foreground pixels, p_fg" value={surface.pFg} onChange={(pFg) => set({ pFg })} />
        <LogitSlider label="confidence on background pixels, p_bg" value={surface.pBg} onChange={(pBg) => set({ pBg })} />
        <div>
          <ValueSlider
            label={FOREGROUND.label}
            value={surface.foreground}
            onChange={(foreground) => set({ foreground })}
            min={FOREGROUND.min}
            max={FOREGROUND.max}
            presets={[0.01, 0.05, 0.1, 0.25, 0.5]}
            track={FG_TRACK}
          />
          <ValueSlider
            label={SMOOTH.label}
            value={surface.smooth}
            onChange={(smooth) => set({ smooth })}
            min={SMOOTH.min}
            max={SMOOTH.max}
            presets={[0, 1e-5, 0.01, 1, 10]}
            track={SMOOTH_TRACK}
          />
          <ParamInput def={fieldOf(SURFACE_FIELDS, 'pixels')} value={surface.pixels} onChange={(v) => set({ pixels: v as number })} />
          {onTrain && (
            <>
              <button type="button" className="primary" onClick={onTrain}>
                Train from here
              </button>
              <p className="hint">Opens the loss race with the output prior set to p_fg and these losses.</p>
            </>
          )}
        </div>
        <LossPicker losses={surface.losses} onChange={setLosses} />
      </div>
    </section>
  );
}

/** −log IoU's foreground gradient over 1 − IoU's, when both are shown (NaN otherwise). */
function lessonRatio(surface: SurfaceSettings, frame: SurfaceFrame): number {
  const soft = surface.losses.findIndex((l) => l.id === FLAT_LOSS);
  const log = surface.losses.findIndex((l) => l.id === CONDITIONED_LOSS);
  return soft >= 0 && log >= 0 ? Math.abs(frame.readouts[log].gradFg / frame.readouts[soft].gradFg) : NaN;
}

function ReadoutCard({ surface, frame, order }: CardProps) {
  const { names, colors } = frame;
  const ratio = lessonRatio(surface, frame);
  return (
    <section className="card" aria-labelledby="readout-title" style={{ order }}>
      <h2 id="readout-title">
        Values and gradients at p_fg = {formatP(surface.pFg)}, p_bg = {formatP(surface.pBg)}
      </h2>
      <table className="readout" data-testid="readout">
        <thead>
          <tr>
            <th scope="col">loss</th>
            <th scope="col">value</th>
            <th scope="col">∂L/∂z, foreground pixel</th>
            <th scope="col">∂L/∂z, background pixel</th>
          </tr>
        </thead>
        <tbody>
          {frame.readouts.map((r, i) => (
            <tr key={i} data-loss={surface.losses[i].id}>
              <th scope="row">
                <span className="swatch" style={{ background: colors[i] }} /> {names[i]}
              </th>
              <td data-testid={`value-${surface.losses[i].id}`}>{sci(r.value)}</td>
              <td data-testid={`grad-fg-${surface.losses[i].id}`} data-value={r.gradFg}>
                {sci(r.gradFg)}
              </td>
              <td>{sci(r.gradBg)}</td>
            </tr>
          ))}
          <tr className="hard-row">
            <th scope="row">hard IoU (threshold 0.5)</th>
            <td data-testid="hard-iou" colSpan={3}>
              {Number.isNaN(frame.hardIoU) ? 'nothing to score' : frame.hardIoU.toFixed(3)} — flat: it only changes when a group crosses 0.5
            </td>
          </tr>
        </tbody>
      </table>
      <p className="caption">
        {Number.isFinite(ratio)
          ? `Here −log IoU’s foreground gradient is ${ratioText(ratio, 2)}× that of 1 − IoU. As p_fg → 0, 1 − IoU’s gradient dies like p_fg; −log IoU’s and cross-entropy’s stay away from 0.`
          : 'Add 1 − IoU and −log IoU to compare their gradients directly.'}
      </p>
    </section>
  );
}

function CurvesCard({
  surface,
  frame,
  order,
  set,
  along,
}: CardProps & {
  set: (patch: Partial<SurfaceSettings>) => void;
  along: { hover: number | null; onHover: (z: number | null) => void; marker: number };
}) {
  const { names, series } = frame;
  const at = `at p_fg = ${formatP(surface.pFg)}`;
  return (
    <section className="card" aria-labelledby="curves-title" style={{ order }}>
      <div className="card-head">
        <h2 id="curves-title">Along p_fg (p_bg fixed at {formatP(surface.pBg)})</h2>
        <ParamInput def={fieldOf(SURFACE_FIELDS, 'logLog')} value={surface.logLog} onChange={(v) => set({ logLog: v as boolean })} />
      </div>
      <CurveLegend series={series.value} label="Curves" />
      <div className="charts two">
        <CurvePanel
          heading="Loss"
          title={`Loss against p_fg (p_bg ${formatP(surface.pBg)})`}
          stem="surface-loss-against-p_fg"
          series={series.value}
          yScale={surface.logLog ? 'log' : 'linear'}
          summary={`Loss against p_fg; ${at}: ${frame.readouts.map((r, i) => `${names[i]} ${sci(r.value)}`).join(', ')}, ${HARD_NAME} ${sci(1 - frame.hardIoU)}`}
          caption="The dashed line is the metric: 1 − hard IoU steps where p_fg crosses 0.5 and is flat on either side. The losses slope; the vertical line is your p_fg."
          format={sci}
          {...along}
        />
        <CurvePanel
          heading="|∂L/∂z| on a foreground pixel"
          title={`|∂L/∂z| on a foreground pixel against p_fg (p_bg ${formatP(surface.pBg)})`}
          stem="surface-gradient-against-p_fg"
          series={series.gradFg}
          yScale={surface.logLog ? 'log' : 'linear'}
          summary={`Foreground gradient against p_fg; ${at}: ${frame.readouts.map((r, i) => `${names[i]} ${sci(Math.abs(r.gradFg))}`).join(', ')}; ${HARD_NAME} 0`}
          caption="The metric’s gradient is 0 wherever it is defined (the dashed line on the floor). A loss’s line diving toward the left is a gradient that vanishes with p_fg."
          format={sci}
          {...along}
        />
      </div>
    </section>
  );
}

function SurfacesCard({ surface, frame, order }: CardProps) {
  const { toy, names, domains, arrowScale, mapNames } = frame;
  return (
    <section className="card" aria-labelledby="surfaces-title" style={{ order }}>
      <div className="card-head">
        <h2 id="surfaces-title">Surfaces over (z_fg, z_bg)</h2>
        <MapsDownload
          title={`Loss surfaces over (z_fg, z_bg): ${toy.n} pixels, ${toy.f} foreground, smoothing ${surface.smooth}`}
          note={mapsNote(mapNames, domains, arrowScale)}
          maps={[
            ...frame.surfaces.map((m) => ({ values: m.value, size: m.size, arrows: m.arrows })),
            { values: frame.hardSurface, size: 128, arrows: frame.hardArrows },
          ].map((picture, i) => ({
            title: `${mapNames[i]} (colour ${sci(domains[i].lo)} to ${sci(domains[i].hi)})`,
            picture: { ...picture, domain: domains[i], arrowScale },
          }))}
          pFg={surface.pFg}
          pBg={surface.pBg}
        />
      </div>
      <ArrowKey scale={arrowScale} />
      <div className="heatmaps">
        {frame.surfaces.map((s, i) => (
          <Heatmap
            key={i}
            title={names[i]}
            values={s.value}
            size={s.size}
            arrows={s.arrows}
            domain={domains[i]}
            arrowScale={arrowScale}
            pFg={surface.pFg}
            pBg={surface.pBg}
            summary={`${names[i]} over foreground and background logits, coloured from ${sci(domains[i].lo)} to ${sci(domains[i].hi)}; the current value is ${sci(frame.readouts[i].value)}`}
          />
        ))}
        <Heatmap
          title={HARD_MAP}
          values={frame.hardSurface}
          size={128}
          arrows={frame.hardArrows}
          domain={domains[frame.surfaces.length]}
          arrowScale={arrowScale}
          pFg={surface.pFg}
          pBg={surface.pBg}
          summary="Hard IoU over foreground and background logits: three flat regions with steps at p = 0.5, and no gradient anywhere"
        />
      </div>
      <p className="caption">
        Each map is a loss over the foreground logit z_fg (→) and the background logit z_bg (↑), for p from 0.0001 to 0.9999 (each tick
        gives the logit, and p under it); the dot is the current prediction. {scaleSentence(mapNames, domains)} Arrows point downhill; their
        length is on one log scale for every map (the key below), so a short arrow or a dot is a gradient that has vanished next to the
        other maps’. The hard IoU is flat almost everywhere: zero gradient, hence the surrogates.
      </p>
    </section>
  );
}

/**
 * The analytic view: one toy prediction, every loss's value and gradient in closed form, curves over the
 * foreground confidence, loss surfaces with their descent field, and the hard IoU beside them.
 */
export function SurfaceView({
  surface,
  onChange,
  onTrain,
  parts = ANALYTIC_PARTS,
}: {
  surface: SurfaceSettings;
  onChange: (s: SurfaceSettings) => void;
  /** "Train from here"; absent, the button is not shown (the tour). */
  onTrain?: () => void;
  /** The sections to show (the tour shows one or two). */
  parts?: readonly AnalyticPart[];
}) {
  const set = (patch: Partial<SurfaceSettings>) => onChange({ ...surface, ...patch });
  const latest = useRef({ surface, onChange });
  latest.current = { surface, onChange };
  const setLosses = useCallback((l: SurfaceSettings['losses']) => latest.current.onChange({ ...latest.current.surface, losses: l }), []);
  const frame = useSurfaceFrame(surface);
  const [hover, setHover] = useState<number | null>(null);
  const along = { hover, onHover: setHover, marker: logit(surface.pFg) };
  // Each shown part's card, at its place among the parts.
  const card = (part: AnalyticPart) => (parts.includes(part) ? { surface, frame, order: parts.indexOf(part) } : null);
  const toy = card('toy');
  const readout = card('readout');
  const curves = card('curves');
  const surfaces = card('surfaces');

  return (
    <div className="surface">
      {toy && <ToyCard {...toy} set={set} setLosses={setLosses} onTrain={onTrain} />}
      {readout && <ReadoutCard {...readout} />}
      {curves && <CurvesCard {...curves} set={set} along={along} />}
      {surfaces && <SurfacesCard {...surfaces} />}
      <Demos losses={surface.losses} pFg={surface.pFg} pBg={surface.pBg} parts={parts} />
    </div>
  );
}

import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import {
  compileLosses,
  hardCurve,
  logit,
  lossCurves,
  lossSurfaces,
  readouts as readoutsOf,
  sigmoid,
  toyOf,
  Z_LIMIT,
} from '../../src/analytic/surface';
import { toyHardIoU } from '../../src/analytic/toyLosses';
import { ANALYTIC_PARTS, type AnalyticPart } from '../../src/tour/chapters';
import { CONDITIONED_LOSS, FLAT_LOSS } from '../../src/losses/lesson';
import type { ChartSeries } from '../charts/lineChart';
import { LineChart, useWidth } from '../charts/lineChart';
import { ExportMenu } from '../race/ChartPanel';
import { ParamInput } from '../ParamInput';
import { LossList } from '../race/LossList';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import { SURFACE_FIELDS, type SurfaceSettings } from './surfaceSettings';
import { ArrowKey } from './ArrowKey';
import { CurveLegend } from './CurveLegend';
import { Heatmap } from './Heatmap';
import { arrowFloor, arrowScale as arrowScaleOf, colourDomains, type ArrowScale, type ColourDomain } from './mapScales';
import { toX, toY, type SurfacePicture } from './paintSurface';
import type { MapsFigure } from './surfaceExport';
import { DownloadMenu } from '../charts/DownloadMenu';
import { Demos } from './Demos';
import { formatP, LogitSlider } from './LogitSlider';
import { linearTrack, ValueSlider, zeroLogTrack } from './ValueSlider';
import { fieldOf } from '../../src/schema/schema';
import { ratioText } from '../race/gradientRatio';
import './SurfaceView.css';

const sci = sciFormat({ smallest: 0.001 });
/** Tick labels of the logit axes, in probabilities. */
const pAtLogit = (z: number) => formatP(sigmoid(z));
const X_TICKS = [1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999].map(logit);
/** On a phone every other one, so that no two labels run into each other. */
const FEW_X_TICKS = X_TICKS.filter((_, i) => i % 2 === 0);
/** The metric is no loss family: it is drawn neutral and dashed beside the losses. */
const HARD_COLOR = '#7a808c';
const HARD_NAME = 'hard 1 − IoU (threshold 0.5)';
const HARD_MAP = 'hard IoU';

const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
/** Which maps share a colour scale, and which are coloured on their own range. */
function scaleSentence(names: string[], domains: ColourDomain[]): string {
  const shared = names.filter((_, i) => domains[i].shared);
  const own = names.filter((_, i) => !domains[i].shared);
  return [
    shared.length > 1 ? `${listed(shared)} share one colour scale, 0 to 1.` : shared.length ? `${shared[0]} is coloured from 0 to 1.` : '',
    own.length
      ? `${listed(own)} ${own.length > 1 ? 'are each' : 'is'} coloured on ${own.length > 1 ? 'their' : 'its'} own range, on ${own.length > 1 ? 'their' : 'its'} colour bar.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** How to read the maps, under the downloaded figure. */
const mapsNote = (names: string[], domains: ColourDomain[], scale: ArrowScale) =>
  `z_fg → and z_bg ↑ from p = 0.0001 to 0.9999 (viridis, dark low); the dot is the current prediction.\n${scaleSentence(names, domains)}\n` +
  `Arrows point downhill, their length on one log scale for all maps, a decade per 3 px from ${scale.top} down; a dot is a gradient below ${arrowFloor(scale)}.`;
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

/** One curve along p_fg (logit axis), with its downloads and an accessible summary; both curves share the hover. */
function CurvePanel({
  heading,
  controls,
  title,
  stem,
  series,
  yScale,
  summary,
  caption,
  hover,
  onHover,
  marker,
}: {
  heading: string;
  controls?: React.ReactNode;
  title: string;
  stem: string;
  series: ChartSeries[];
  yScale: 'linear' | 'log';
  summary: string;
  caption: string;
  hover: number | null;
  onHover: (z: number | null) => void;
  marker: number;
}) {
  const drawn = useRef<HTMLDivElement>(null);
  const [box, width] = useWidth<HTMLElement>();
  return (
    <figure className="chart-panel" ref={box}>
      <div className="chart-head">
        <h3>{heading}</h3>
        <div className="chart-controls">
          {controls}
          <ExportMenu
            chart={() => drawn.current?.querySelector('svg') ?? null}
            title={title}
            stem={stem}
            series={series}
            xLabel="logit(p_fg)"
          />
        </div>
      </div>
      <div ref={drawn} role="img" aria-label={summary}>
        <LineChart
          title={title}
          series={series}
          yScale={yScale}
          xMax={Z_LIMIT}
          xDomain={[-Z_LIMIT, Z_LIMIT]}
          xTicks={width < 420 ? FEW_X_TICKS : X_TICKS}
          xFormat={pAtLogit}
          hoverStep={hover}
          onHover={onHover}
          format={sci}
          marker={marker}
        />
      </div>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** The maps as one PNG and one SVG, with their titles and the current prediction. */
function MapsDownload({
  title,
  note,
  maps,
  pFg,
  pBg,
}: {
  title: string;
  note: string;
  maps: { title: string; picture: SurfacePicture }[];
  pFg: number;
  pBg: number;
}) {
  const box = useRef<HTMLSpanElement>(null);
  const figure = (): MapsFigure => {
    const card = getComputedStyle(box.current?.closest('.card') ?? document.body);
    const dot = box.current?.closest('.card')?.querySelector('.heatmap .current');
    const dotFill = dot ? getComputedStyle(dot).fill : '#e8453c';
    const at = { x: toX(logit(pFg)), y: toY(logit(pBg)) };
    return {
      title,
      note,
      maps: maps.map((m) => ({ ...m, dot: at })),
      look: { background: card.backgroundColor, ink: card.color, font: card.fontFamily, dot: dotFill },
    };
  };
  const stem = 'surface-loss-maps';
  return (
    <span ref={box}>
      <DownloadMenu
        items={[
          { label: 'PNG', name: `${stem}.png`, make: async () => (await import('./surfaceExport')).mapsPng(figure()) },
          {
            label: 'SVG',
            name: `${stem}.svg`,
            make: async () => new Blob([(await import('./surfaceExport')).mapsSvg(figure()).text], { type: 'image/svg+xml' }),
          },
        ]}
      />
    </span>
  );
}

/**
 * Everything the view draws from the settings. Each part is recomputed only when what it depends on moves: a p_fg
 * drag only touches the readouts, and a foreground-fraction drag only recomputes when the toy gains or loses a
 * foreground pixel.
 */
function useSurfaceFrame(surface: SurfaceSettings) {
  const { pixels, smooth, losses, pBg } = surface;
  const toy = toyOf(surface);
  const share = toy.f / toy.n;
  const fns = useMemo(() => compileLosses(losses, smooth), [losses, smooth]);
  const maps = useMemo(() => lossSurfaces({ pixels, foreground: share, smooth, pFg: 0.5, pBg: 0.5 }, fns), [pixels, share, smooth, fns]);
  const curves = useMemo(() => lossCurves({ pixels, foreground: share, smooth, pFg: 0.5, pBg }, fns), [pixels, share, smooth, pBg, fns]);
  const hard = useMemo(() => hardCurve({ pixels, foreground: share, smooth, pFg: 0.5, pBg }), [pixels, share, smooth, pBg]);
  // The race's names and colours: a loss looks the same here as in the race and the landscape.
  const names = useMemo(() => runNames(losses, 'binary'), [losses]);
  const colors = useMemo(() => lossColors(losses), [losses]);
  const series = useMemo(() => {
    const pick = (key: 'value' | 'gradFg'): ChartSeries[] => [
      ...curves.map((c, i) => ({ id: `${i}`, label: names[i], color: colors[i], x: Array.from(c.z), y: Array.from(c[key]) })),
      { id: 'hard', label: HARD_NAME, color: HARD_COLOR, dashed: true, x: Array.from(hard.z), y: Array.from(hard[key]) },
    ];
    return { value: pick('value'), gradFg: pick('gradFg') };
  }, [curves, hard, names, colors]);
  // Every map on one arrow scale, and the bounded ones on one colour scale, so that maps compare.
  const domains = useMemo(() => colourDomains([...maps.surfaces.map((m) => m.value), maps.hardSurface]), [maps]);
  const arrowScale = useMemo(() => arrowScaleOf([...maps.surfaces.map((m) => m.arrows), maps.hardArrows]), [maps]);
  return {
    toy,
    readouts: readoutsOf(surface, fns),
    hardIoU: toyHardIoU(toy),
    ...maps,
    names,
    colors,
    series,
    domains,
    arrowScale,
    mapNames: [...names, HARD_MAP],
  };
}

type SurfaceFrame = ReturnType<typeof useSurfaceFrame>;
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

import { useMemo } from 'react';
import { taskOf } from '../../src/config/experimentConfig';
import { flatRun, readPlateauFigure } from '../../src/tour/figureFiles';
import plateauJson from '../../src/tour/figures/plateau.json' with { type: 'json' };
import { useWidth } from '../charts/lineChart';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import { PLATEAU_MARGIN, plateauLayout, powerText, slopeText, stepsText } from './figureScales';
import './tourFigures.css';

/** Precomputed by `npm run plateau` and checked by tour:verify: the page never trains for it. */
const FIGURE = readPlateauFigure(plateauJson);
const HEIGHT = 270;

/**
 * The plateau's length against the output prior: for each loss of the chapter's race, the step at which its
 * validation IoU first passes the threshold, on log–log axes, with the line fitted to 1 − IoU's points and its slope.
 */
export function PlateauChart() {
  const [ref, width] = useWidth<HTMLDivElement>();
  const flat = flatRun(FIGURE);
  const fitted = flat ? FIGURE.runs.indexOf(flat) : -1;
  const layout = useMemo(() => plateauLayout(FIGURE, width, HEIGHT, fitted), [width, fitted]);
  const names = runNames(FIGURE.config.losses, taskOf(FIGURE.config.data.classes));
  const colours = lossColors(FIGURE.config.losses);
  const fit = layout.fit;
  const cap = `not within ${stepsText(FIGURE.maxSteps)}`;
  const cell = (s: number | null) => (s === null ? cap : stepsText(s));
  const threshold = FIGURE.threshold;
  const others = names.filter((_, i) => i !== fitted);
  const othersMax = Math.max(...FIGURE.runs.filter((_, i) => i !== fitted).flatMap((r) => r.steps.map((s) => s ?? FIGURE.maxSteps)));
  const summary = FIGURE.runs
    .map((r, i) => `${names[i]}: ${FIGURE.priors.map((p, k) => `${cell(r.steps[k])} steps from p = ${powerText(p)}`).join(', ')}`)
    .join('; ');
  return (
    <figure className="card plateau-chart" data-testid="plateau-chart">
      <figcaption>
        <strong>How long the plateau lasts.</strong> The steps until the validation IoU passes {threshold}, against the probability p every
        pixel starts at: the same race from each p (log–log).{' '}
        {fit && (
          <>
            {names[fitted]}’s plateau grows about like p<sup>{slopeText(fit.fit.slope)}</sup>
            {others.length > 0 && `; ${others.join(' and ')} pass within ${stepsText(othersMax)} steps from every p`}.
          </>
        )}
      </figcaption>
      <div className="chart" ref={ref} role="img" aria-label={`Steps until the validation IoU passes ${threshold}. ${summary}.`}>
        <svg width={width} height={HEIGHT} aria-hidden="true">
          <g transform={`translate(${PLATEAU_MARGIN.left},${PLATEAU_MARGIN.top})`}>
            {layout.yTicks.map((t) => (
              <g key={t.label} transform={`translate(0,${t.y})`} className="tick">
                <line x2={layout.innerW} className="grid" />
                <text x={-6} dy="0.32em" textAnchor="end">
                  {t.label}
                </text>
              </g>
            ))}
            {layout.xTicks.map((t, i) => (
              <g key={i} transform={`translate(${t.x},${layout.innerH})`} className="tick">
                <line y2={5} />
                {t.label && (
                  <text y={17} textAnchor="middle">
                    {t.label}
                  </text>
                )}
              </g>
            ))}
            <line y1={layout.innerH} y2={layout.innerH} x2={layout.innerW} className="axis" />
            <line y2={layout.innerH} className="axis" />
            <text className="axis-label" x={layout.innerW / 2} y={layout.innerH + 36} textAnchor="middle">
              prior p (every pixel’s starting probability)
            </text>
            <text className="axis-label" transform={`translate(${-38},${layout.innerH / 2}) rotate(-90)`} textAnchor="middle">
              steps to IoU {threshold}
            </text>
            {layout.runs.map((run, i) => (
              <g key={i} className="plateau-run">
                <path d={run.path} fill="none" stroke={colours[i]} strokeWidth={2} />
                {run.points.map((p) =>
                  p.steps === null ? (
                    <path key={p.prior} d={`M${p.x - 5},${p.y + 4}L${p.x},${p.y - 5}L${p.x + 5},${p.y + 4}Z`} fill={colours[i]} />
                  ) : (
                    <circle key={p.prior} cx={p.x} cy={p.y} r={3.5} fill={colours[i]} />
                  ),
                )}
              </g>
            ))}
            {/* On top of the points, in ink: it runs along 1 − IoU's line where it fits and leaves it where it does not. */}
            {fit && <line x1={fit.x1} y1={fit.y1} x2={fit.x2} y2={fit.y2} className="plateau-fit" />}
          </g>
        </svg>
      </div>
      <ul className="plateau-legend">
        {FIGURE.runs.map((_, i) => (
          <li key={i}>
            <span className="legend-line" style={{ borderColor: colours[i] }} /> {names[i]}
          </li>
        ))}
        {fit && (
          <li>
            <span className="legend-line legend-dashed" /> {names[fitted]}’s line fitted for p ≤ {powerText(FIGURE.fitUpTo)}: slope{' '}
            <strong data-testid="plateau-slope">{slopeText(fit.fit.slope)}</strong>
          </li>
        )}
        {FIGURE.runs.some((r) => r.steps.includes(null)) && <li>▲ {cap}</li>}
      </ul>
      <details className="plateau-numbers">
        <summary>The numbers</summary>
        <table className="readout">
          <thead>
            <tr>
              <th scope="col">p</th>
              {names.map((n, i) => (
                <th key={i} scope="col">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {FIGURE.priors.map((p, k) => (
              <tr key={p}>
                <th scope="row">{powerText(p)}</th>
                {FIGURE.runs.map((r, i) => (
                  <td key={i}>{cell(r.steps[k])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

import { useId, useRef, useState, type ReactNode } from 'react';
import { slugOf } from '../charts/download';
import { DownloadMenu } from '../charts/DownloadMenu';
import { LineChart, valueAt, type LineChartProps } from '../charts/lineChart';
import './ChartPanel.css';

/** One line style a chart draws and what it stands for ("dashed: background pixels"). */
export interface LineStyle {
  dashed: boolean;
  label: string;
}

interface Props extends LineChartProps {
  caption: ReactNode;
  controls?: ReactNode;
  /** The line styles the chart uses besides the runs' colours; each is shown in a legend under the chart. */
  lineStyles?: readonly LineStyle[];
  /** The view and step its files are named for: `{ view: 'race', step: 250 }` gives race-loss-step-250.png. */
  exportAs: { view: string; step: number };
}

/** PNG (twice the pixels), SVG and CSV of the chart as it is drawn, named for what they are. */
export function ExportMenu({
  chart,
  title,
  stem,
  series,
  xLabel = 'step',
}: {
  chart: () => SVGSVGElement | null;
  title: string;
  stem: string;
  series: LineChartProps['series'];
  /** The CSV's first column. */
  xLabel?: string;
}) {
  const legend = series.map((s) => ({ label: s.label, color: s.color, dashed: s.dashed ?? false }));
  const item = (kind: 'png' | 'svg' | 'csv') => ({
    label: kind.toUpperCase(),
    name: `${stem}.${kind}`,
    make: async () => {
      const svg = chart();
      if (!svg) throw new Error('the chart is not drawn yet');
      const { chartCsv, standaloneSvg, svgToPng } = await import('../charts/chartExport');
      if (kind === 'csv') return new Blob([chartCsv(series, xLabel)], { type: 'text/csv' });
      const doc = standaloneSvg(svg, title, legend);
      return kind === 'svg' ? new Blob([doc.text], { type: 'image/svg+xml' }) : svgToPng(doc);
    },
  });
  return <DownloadMenu items={[item('png'), item('svg'), item('csv')]} />;
}

/** A chart with its title, two-line caption, an accessible summary, a data-table view and its downloads. */
export function ChartPanel({ caption, controls, exportAs, lineStyles = [], ...chart }: Props) {
  const [table, setTable] = useState(false);
  const titleId = useId();
  const drawn = useRef<HTMLDivElement>(null);
  const last = Math.max(0, ...chart.series.map((s) => s.x.at(-1) ?? 0));
  const summary = chart.series.length
    ? `${chart.title} at step ${last}: ${chart.series.map((s) => `${s.label} ${s.endsAt != null ? `diverged at ${s.endsAt}` : s.y.length ? chart.format(s.y.at(-1)!) : 'no data'}`).join(', ')}`
    : `${chart.title}: no data yet`;
  const rows = last > 0 ? Array.from({ length: 11 }, (_, i) => Math.round((last * i) / 10)).filter((v, i, a) => a.indexOf(v) === i) : [];
  return (
    <figure className="chart-panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h3 id={titleId}>{chart.title}</h3>
        <div className="chart-controls">
          {controls}
          <button type="button" className="small" aria-pressed={table} onClick={() => setTable((t) => !t)}>
            data table
          </button>
          <ExportMenu
            chart={() => drawn.current?.querySelector('svg') ?? null}
            title={`${chart.title}, step ${exportAs.step}`}
            stem={`${exportAs.view}-${slugOf(chart.title)}-step-${exportAs.step}`}
            series={chart.series}
          />
        </div>
      </div>
      <div
        ref={drawn}
        role="img"
        aria-label={summary}
        data-testid={`chart-${chart.title}`}
        data-points={chart.series.reduce((n, s) => n + s.x.length, 0)}
      >
        <LineChart {...chart} />
      </div>
      {lineStyles.length > 0 && (
        <ul className="line-styles" aria-label="Line styles">
          {lineStyles.map((l) => (
            <li key={l.label}>
              <span className={`legend-line${l.dashed ? ' legend-dashed' : ''}`} aria-hidden="true" />
              <span className="visually-hidden">{l.dashed ? 'dashed: ' : 'solid: '}</span>
              {l.label}
            </li>
          ))}
        </ul>
      )}
      {table && (
        <div className="chart-table">
          <table>
            <caption className="visually-hidden">{chart.title} by step</caption>
            <thead>
              <tr>
                <th scope="col">step</th>
                {chart.series.map((s) => (
                  <th scope="col" key={s.id}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((step) => (
                <tr key={step}>
                  <th scope="row">{step}</th>
                  {chart.series.map((s) => {
                    const v = valueAt(s, step);
                    return (
                      <td key={s.id}>{v !== undefined ? chart.format(v) : s.endsAt != null && step >= s.endsAt ? 'diverged' : '–'}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

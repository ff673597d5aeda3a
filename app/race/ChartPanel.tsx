import { useId, useState, type ReactNode } from 'react';
import { LineChart, valueAt, type LineChartProps } from '../charts/lineChart';

interface Props extends LineChartProps {
  caption: ReactNode;
  controls?: ReactNode;
}

/** A chart with its title, two-line caption, an accessible summary and a data-table view. */
export function ChartPanel({ caption, controls, ...chart }: Props) {
  const [table, setTable] = useState(false);
  const titleId = useId();
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
        </div>
      </div>
      <div
        role="img"
        aria-label={summary}
        data-testid={`chart-${chart.title}`}
        data-points={chart.series.reduce((n, s) => n + s.x.length, 0)}
      >
        <LineChart {...chart} />
      </div>
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

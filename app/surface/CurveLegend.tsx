import type { ChartSeries } from '../charts/lineChart';
import './CurveLegend.css';

/** The lines of a figure's charts, each drawn as it is drawn there (solid or dashed), with its name. */
export function CurveLegend({
  series,
  label,
}: {
  series: readonly Pick<ChartSeries, 'id' | 'label' | 'color' | 'dashed'>[];
  label: string;
}) {
  return (
    <ul className="run-legend curve-legend" aria-label={label}>
      {series.map((s) => (
        <li key={s.id}>
          <svg width={22} height={10} aria-hidden="true">
            <line x1={1} x2={21} y1={5} y2={5} stroke={s.color} strokeWidth={2.2} strokeDasharray={s.dashed ? '5 3' : undefined} />
          </svg>{' '}
          {s.label}
        </li>
      ))}
    </ul>
  );
}

import { useRef } from 'react';
import { logit, sigmoid, Z_LIMIT } from '../../src/analytic/surface';
import { LineChart, useWidth, type ChartSeries } from '../charts/lineChart';
import { ExportMenu } from '../race/ChartPanel';
import { formatP } from './LogitSlider';

/** Tick labels of the logit axes, in probabilities. */
const pAtLogit = (z: number) => formatP(sigmoid(z));
const X_TICKS = [1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999].map(logit);
/** On a phone every other one, so that no two labels run into each other. */
const FEW_X_TICKS = X_TICKS.filter((_, i) => i % 2 === 0);

/** One curve along p_fg (logit axis), with its downloads and an accessible summary; both curves share the hover. */
export function CurvePanel({
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
  format,
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
  /** The values' format, on the y axis and in the readout. */
  format: (v: number) => string;
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
          format={format}
          marker={marker}
        />
      </div>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

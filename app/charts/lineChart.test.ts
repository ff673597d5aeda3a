import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LineChart, valueAt, type ChartSeries } from './lineChart';

const steps = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('line chart', () => {
  it('a diverged series has no value from its divergence on, whatever its last point was', () => {
    const s: ChartSeries = { id: 'a', label: 'a', color: '#000', x: [1], y: [0.696], divergedAt: 2, endsAt: 2 };
    expect(valueAt(s, 1)).toBe(0.696);
    expect(valueAt(s, 2)).toBeUndefined();
    expect(valueAt(s, 139)).toBeUndefined();
  });

  it('on a log axis an exact 0 is drawn on the floor, which is labelled 0', () => {
    const render = (y: number[]) =>
      renderToStaticMarkup(
        createElement(LineChart, {
          title: 'g',
          yScale: 'log',
          xMax: 10,
          hoverStep: null,
          onHover: () => {},
          format: String,
          series: [
            { id: 'z', label: 'z', color: '#000', x: steps(y.length), y },
            { id: 'p', label: 'p', color: '#111', x: steps(3), y: [1, 0.1, 0.01] },
          ],
        }),
      );
    const html = render([0, 0, 0]);
    expect(html).toContain('data-testid="zero-floor"');
    // 200 px tall, 10 px top and 28 px bottom margins: the floor is at y = 162.
    const zeroPath = /<path d="(M[^"]+)" fill="none" stroke="#000"/.exec(html)![1];
    expect(
      zeroPath
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => Number(p.split(',')[1])),
    ).toEqual([162, 162, 162]);
    expect(render([0.5, 0.2, 0.1])).not.toContain('zero-floor');
  });
});

import { csvParse } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { chartCsv } from './chartExport';
import { slugOf } from './download';

describe('chart exports', () => {
  it('CSV: one row per step of any series, an empty cell where a run has no point, names with commas quoted', () => {
    const csv = chartCsv([
      { id: '0', label: '1 − IoU, batch', color: '#000', x: [0, 10, 20], y: [1, 0.99, 0.98] },
      { id: '1', label: 'BCE', color: '#111', x: [0, 20, 30], y: [0.7, 0.2, NaN] },
    ]);
    const rows = csvParse(csv);
    expect(rows.columns).toEqual(['step', '1 − IoU, batch', 'BCE']);
    expect(rows.map((r) => [r.step, r['1 − IoU, batch'], r.BCE])).toEqual([
      ['0', '1', '0.7'],
      ['10', '0.99', ''],
      ['20', '0.98', '0.2'],
      ['30', '', ''],
    ]);
  });

  it('file names say what the chart is', () => {
    expect(slugOf('Validation IoU')).toBe('validation-iou');
    expect(slugOf('|∂L/∂z| on a foreground pixel')).toBe('l-z-on-a-foreground-pixel');
  });
});

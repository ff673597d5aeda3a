import type { DatasetSummary } from '../../src/data/datasetSummary';
import type { MaskKind } from '../../src/data/importedData';
import './DataSummary.css';

/** How each kind of mask was read, in the words the import's rules use. */
const MASK_KINDS: Record<MaskKind, string> = {
  binary: 'binary: any non-zero value is object',
  classIndex: 'class index: each value is a class',
  palette: 'palette: each palette index is a class',
  colour: 'colour: each colour is a class',
  instance: 'instance labels: any label is object',
};

const share = (x: number) => `${x > 0 && x < 0.01 ? (x * 100).toFixed(1) : Math.round(x * 100)} %`;
const size = ([w, h]: readonly [number, number]) => `${w} × ${h}`;

/** What was imported, in the numbers a reader checks first: is the split, the size, the mask what I expect? */
export function DataSummary({ summary: s }: { summary: DatasetSummary }) {
  const split = [s.train > 0 && `${s.train} in train/`, s.val > 0 && `${s.val} in val/`, s.unsplit > 0 && `${s.unsplit} split at random`]
    .filter(Boolean)
    .join(', ');
  const sameSize = s.minSize[0] === s.maxSize[0] && s.minSize[1] === s.maxSize[1];
  const rows: [string, string][] = [
    ['Pairs', `${s.pairs} (${split})`],
    ['Image size', sameSize ? size(s.minSize) : `${size(s.minSize)} to ${size(s.maxSize)}`],
    ['Channels', s.channels === 3 ? '3 (colour)' : '1 (grey)'],
    ['Classes', s.classes === 2 ? '2 (background and object)' : `${s.classes} (background and ${s.classes - 1} others)`],
    ['Foreground', `${share(s.foreground)} of the pixels`],
    ['Empty masks', `${share(s.emptyShare)} of the pairs`],
    ['Masks', MASK_KINDS[s.maskKind]],
  ];
  return (
    <table className="data-summary" aria-label="Data set summary">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

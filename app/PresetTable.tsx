import { PRESETS } from '../src/losses/presets';
import { describeLoss } from './describeLoss';
import './PresetTable.css';

const GROUPS = [
  { library: 'smp', task: 'binary', title: 'segmentation_models_pytorch, binary' },
  { library: 'smp', task: 'multiclass', title: 'segmentation_models_pytorch, multi-class' },
  { library: 'monai', task: 'binary', title: 'MONAI, sigmoid' },
  { library: 'monai', task: 'multiclass', title: 'MONAI, softmax' },
] as const;

/** What each library's loss class computes, written as this project's losses (all verified by the parity check). */
export function PresetTable() {
  return (
    <section className="card" aria-labelledby="presets-title">
      <h2 id="presets-title">What your library computes</h2>
      <p>
        The same name can hide different maths: where the smoothing goes, whether a ratio is taken per image or over the batch, what an
        empty mask adds. Each library default below is one of this project’s losses with the options shown.
      </p>
      {GROUPS.map((g) => (
        <div key={`${g.library}-${g.task}`} className="preset-group">
          <h3>{g.title}</h3>
          <table className="presets">
            <thead>
              <tr>
                <th scope="col">library call</th>
                <th scope="col">is</th>
                <th scope="col">note</th>
              </tr>
            </thead>
            <tbody>
              {PRESETS.filter((p) => p.library === g.library && p.task === g.task).map((p) => (
                <tr key={p.key}>
                  <th scope="row">
                    <code>{p.key}</code>
                  </th>
                  <td>{describeLoss(p.loss, p.task)}</td>
                  <td>{p.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

import { useMemo } from 'react';
import { sciFormat } from '../../src/domain/numberText';
import { taskOf } from '../../src/config/experimentConfig';
import { readLandscapeFigures } from '../../src/tour/figureFiles';
import landscapeJson from '../../src/tour/figures/landscape.json' with { type: 'json' };
import { PathChart } from '../landscape/PathChart';
import { SliceMap } from '../landscape/SliceMap';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';
import { sharedDomain } from './figureScales';
import './tourFigures.css';

/** Precomputed by `npm run plateau` from each landscape chapter's race, checked by tour:verify. */
const FIGURES = readLandscapeFigures(landscapeJson);

const DIRECTIONS = {
  random: 'two random filter-normalised directions',
  pca: 'the top two principal directions of the training trajectory',
};
const sci = sciFormat({ exponentDigits: 1, trim: true });
const range = (xs: readonly number[]) => {
  const finite = xs.filter(Number.isFinite);
  return `from ${sci(Math.min(...finite))} to ${sci(Math.max(...finite))}`;
};

/**
 * A chapter's landscape, inline: for each run of its race the path from the initial weights through the trained
 * ones, and its loss and hard IoU over a slice around the trained weights. The loss maps of all runs share one log
 * colour scale (so a plateau reads as one colour beside a slope), the IoU maps share [0, 1].
 */
export function LandscapeFigure({ slug }: { slug: string }) {
  const figure = FIGURES[slug];
  const lossDomain = useMemo(() => (figure ? sharedDomain(figure.runs, 'loss', true) : null), [figure]);
  if (!figure || !lossDomain) return null;
  const { settings, step } = figure;
  // Named and coloured as in the race they come from: by loss, in shades where it has several runs of a family.
  const { losses } = figure.config;
  const names = runNames(losses, taskOf(figure.config.data.classes));
  const colours = lossColors(losses);
  return (
    <figure className="card landscape-figure" data-testid="landscape-figure">
      <figcaption>
        <strong>Each run’s landscape after {step} steps.</strong> The path from the initial weights θ₀ through the trained ones θ
        <sub>t</sub>, and a slice of {settings.grid} × {settings.grid} points around θ<sub>t</sub> along {DIRECTIONS[settings.dirs]}, on{' '}
        {settings.images} validation images. The loss maps share one log colour scale ({sci(lossDomain[0])} to {sci(lossDomain[1])}), the
        maps of the hard IoU on those images share 0 to 1.
      </figcaption>
      <div className="landscape-figure-runs">
        {figure.runs.map((run) => {
          const colour = colours[run.index];
          const name = names[run.index];
          const axis = (k: 0 | 1) => (run.trajectory ? `PC${k + 1}` : `direction ${k + 1}`);
          return (
            <section key={run.index} className="landscape-figure-run" aria-label={`Landscape of ${name}`}>
              <h3>
                <span className="swatch" style={{ background: colour }} /> {name}
              </h3>
              <PathChart run={run} color={colour} log />
              <div className="landscape-figure-maps">
                <SliceMap
                  title="loss"
                  x={run.slice.x}
                  y={run.slice.y}
                  values={run.slice.loss}
                  domain={lossDomain}
                  log
                  xLabel={axis(0)}
                  yLabel={axis(1)}
                  trajectory={run.trajectory}
                  format={sci}
                  summary={`${name}’s loss over the slice, ${range(run.slice.loss)} on a log colour scale shared by the runs`}
                />
                <SliceMap
                  title="hard IoU"
                  x={run.slice.x}
                  y={run.slice.y}
                  values={run.slice.iou}
                  domain={[0, 1]}
                  log={false}
                  xLabel={axis(0)}
                  yLabel={axis(1)}
                  trajectory={run.trajectory}
                  format={sci}
                  summary={`The hard IoU over ${name}’s slice, ${range(run.slice.iou)}`}
                />
              </div>
            </section>
          );
        })}
      </div>
    </figure>
  );
}

import { useState } from 'react';
import { CHAPTERS, type AnalyticFigure, type Chapter, type RaceFigure } from '../../src/tour/chapters';
import { MeasuredStepNote } from '../race/KeepTraining';
import { LiveCharts, PredictionsCard, RaceControlsCard } from '../race/RaceView';
import type { RaceControls } from '../race/useRace';
import type { UiSettings } from '../uiSettings';
import { SurfaceView } from '../surface/SurfaceView';
import { RaceCode } from '../code/RaceCode';
import { URL_VERSION } from '../urlVersion';
import { ChapterText } from './ChapterText';
import { chapterSurface, chapterUi } from './scenario';
import { LandscapeFigure } from './LandscapeFigure';
import { PlateauChart } from './PlateauChart';
import './TourView.css';

/**
 * A chapter's race: the page's one race, configured from the chapter. It starts on Play only and stops by itself at
 * the chapter's measured step, where its claims hold; "Keep training" goes on, and a sentence says what happens next.
 */
function RaceFigureView({ figure, race, ui }: { figure: RaceFigure; race: RaceControls; ui: UiSettings }) {
  // The chart selectors are the chapter's; the reader may switch them while reading.
  const [charts, setCharts] = useState(() => chapterUi(figure, ui));
  return (
    <div className="tour-figure">
      {/* An analytic figure of the chapter's own (ch. 7's plot) comes first; the race follows it. */}
      {figure.aside && <AnalyticFigureView figure={figure.aside} />}
      <RaceControlsCard race={race}>
        <MeasuredStepNote race={race} after={figure.after?.text} />
      </RaceControlsCard>
      <LiveCharts race={race} ui={charts} onUi={(p) => setCharts((c) => ({ ...c, ...p }))} />
      <PredictionsCard store={race.store} />
    </div>
  );
}

/** A chapter's analytic figure: parts of the confidence view on the chapter's toy, which the reader may move. */
function AnalyticFigureView({ figure }: { figure: AnalyticFigure }) {
  const [surface, setSurface] = useState(() => chapterSurface(figure));
  return <SurfaceView surface={surface} onChange={setSurface} parts={figure.parts} />;
}

const tourHref = (c: Chapter) => `?v=${URL_VERSION}&view=tour&ch=${c.slug}`;

/** The chapter list and Back / Next; links are real links, so a chapter can be opened in a new tab. */
function Stepper({ index, onChapter }: { index: number; onChapter: (slug: string) => void }) {
  const go = (e: React.MouseEvent, c: Chapter) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    onChapter(c.slug);
  };
  const prev = CHAPTERS[index - 1];
  const next = CHAPTERS[index + 1];
  return (
    <nav className="stepper" aria-label="Chapters">
      <div className="stepper-buttons">
        <button type="button" onClick={() => prev && onChapter(prev.slug)} disabled={!prev} aria-keyshortcuts="ArrowLeft">
          ← Back
        </button>
        <span className="stepper-count">
          Chapter {index + 1} of {CHAPTERS.length}
        </span>
        <button
          type="button"
          className="primary"
          onClick={() => next && onChapter(next.slug)}
          disabled={!next}
          aria-keyshortcuts="ArrowRight"
        >
          Next →
        </button>
      </div>
      <ol className="chapter-list">
        {CHAPTERS.map((c, i) => (
          <li key={c.slug}>
            <a href={tourHref(c)} aria-current={i === index ? 'page' : undefined} onClick={(e) => go(e, c)}>
              {c.title}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function AdviceTable({ chapter, onChapter }: { chapter: Chapter; onChapter: (slug: string) => void }) {
  if (!chapter.advice) return null;
  return (
    <table className="readout advice" data-testid="advice">
      <thead>
        <tr>
          <th scope="col">what to do</th>
          <th scope="col">why</th>
        </tr>
      </thead>
      <tbody>
        {chapter.advice.map((row) => {
          const target = CHAPTERS.find((c) => c.slug === row.chapter)!;
          return (
            <tr key={row.advice}>
              <td>{row.advice}</td>
              <td>
                <a
                  href={tourHref(target)}
                  onClick={(e) => {
                    e.preventDefault();
                    onChapter(target.slug);
                  }}
                >
                  {target.title}
                </a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * The guided tour: one idea per chapter, a short text beside a live figure, and "Open in the explorer" to take
 * the figure's settings further. Every number in the text is a claim's measured value that `npm run tour:verify` checks.
 */
export function TourView({
  chapter,
  onChapter,
  race,
  ui,
  explorerHref,
  onOpen,
  single = false,
}: {
  chapter: Chapter;
  onChapter: (slug: string) => void;
  race: RaceControls;
  ui: UiSettings;
  explorerHref: string;
  /** Opens the figure in this page's explorer; absent (an embedded chapter), the link opens a new tab. */
  onOpen?: () => void;
  /** One chapter on its own (an embed): no chapter list or stepper. */
  single?: boolean;
}) {
  const index = CHAPTERS.indexOf(chapter);
  return (
    <div className="tour">
      {/* Title, figure, then text: on a phone the figure and its Play button are on the first screen. */}
      <header className="tour-head">
        <p className="chapter-number">Chapter {index + 1}</p>
        <h2 id="chapter-title">{chapter.title}</h2>
      </header>
      {/* A new chapter is a new figure: its sliders and chart choices start from the chapter's. */}
      <div className="tour-figure-wrap" key={chapter.slug}>
        {/* Precomputed (npm run plateau): the landscape comes before the race, the plateau's length after it. */}
        {chapter.figure.kind === 'race' && chapter.figure.landscape && <LandscapeFigure slug={chapter.slug} />}
        {chapter.figure.kind === 'race' ? (
          <RaceFigureView figure={chapter.figure} race={race} ui={ui} />
        ) : (
          <AnalyticFigureView figure={chapter.figure} />
        )}
        {chapter.figure.kind === 'race' && chapter.figure.plateau && <PlateauChart />}
        {chapter.figure.kind === 'race' && chapter.figure.code && <RaceCode config={chapter.figure.config} />}
      </div>
      <article className="card tour-text" aria-labelledby="chapter-title">
        <ChapterText paragraphs={chapter.text} />
        <p className="look-for">
          <strong>What to look for:</strong> {chapter.lookFor}
        </p>
        <AdviceTable chapter={chapter} onChapter={onChapter} />
        <p>
          <a
            href={explorerHref}
            className="button-link"
            target={onOpen ? undefined : '_blank'}
            rel={onOpen ? undefined : 'noopener'}
            onClick={(e) => {
              if (!onOpen || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
              e.preventDefault();
              onOpen();
            }}
          >
            Open in the explorer
          </a>
        </p>
      </article>
      {/* Beside the text on a wide screen; after the figure on a phone, where the reader arrives when done. */}
      {!single && (
        <div className="card tour-stepper">
          <Stepper index={index} onChapter={onChapter} />
        </div>
      )}
    </div>
  );
}

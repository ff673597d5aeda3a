import { termAnchor, termSegments, type Term } from '../../src/tour/glossary';
import { URL_VERSION } from '../urlVersion';
import './ChapterText.css';

/** The zoo's entry of a term: the loss that explains it, or the zoo's glossary. */
export const zooHref = (term: Term): string => `?v=${URL_VERSION}&view=reference#${termAnchor(term)}`;

/**
 * A chapter's paragraphs, with the first use of each term in the chapter linked to its entry in the loss zoo and
 * its definition on hover. The zoo opens in a new tab, so the reader keeps their place in the tour.
 */
export function ChapterText({ paragraphs }: { paragraphs: readonly string[] }) {
  const seen = new Set<string>();
  return paragraphs.map((p, i) => (
    <p key={i}>
      {termSegments(p, seen).map((s, j) =>
        typeof s === 'string' ? (
          s
        ) : (
          <a key={j} className="term" href={zooHref(s.term)} title={s.term.definition} target="_blank" rel="noopener">
            {s.text}
          </a>
        ),
      )}
    </p>
  ));
}

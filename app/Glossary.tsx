import { GLOSSARY, lossAnchor, termAnchor } from '../src/tour/glossary';
import { lossInfo } from '../src/losses/registry';
import './Glossary.css';

/**
 * The words the tour defines, where its links land: a term with a loss of its own points on to that loss's entry
 * in the zoo; the others are defined here.
 */
export function Glossary() {
  return (
    <section className="card" aria-labelledby="glossary-title">
      <h2 id="glossary-title">Terms</h2>
      <dl className="glossary">
        {GLOSSARY.map((t) => (
          <div key={t.key} id={t.loss ? undefined : termAnchor(t)} className="glossary-item">
            <dt>
              <dfn>{t.forms[0]}</dfn>
            </dt>
            <dd>
              {t.definition}
              {t.loss && (
                <>
                  {' '}
                  <a href={`#${lossAnchor(t.loss)}`}>{lossInfo(t.loss)?.name ?? t.loss} in the zoo</a>
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

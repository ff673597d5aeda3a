import { useLayoutEffect, useRef, useState } from 'react';
import './TeX.css';

// KaTeX arrives with the first formula, not with the page: the page's first paint does not wait for it.
type Katex = typeof import('katex').default;
let katexLoad: Promise<Katex> | null = null;
const loadKatex = () => (katexLoad ??= import('katex').then((m) => m.default));

/**
 * Renders a TeX formula with KaTeX as MathML, which browsers lay out themselves (no stylesheet or fonts to load,
 * no inline styles) and screen readers read. Until KaTeX has loaded the TeX source stands in. A display formula
 * wider than its box scrolls sideways; it then takes keyboard focus, so it can be scrolled without a mouse.
 */
export function TeX({ source, display = false }: { source: string; display?: boolean }) {
  const [katex, setKatex] = useState<Katex | null>(null);
  useLayoutEffect(() => {
    let live = true;
    void loadKatex().then((k) => live && setKatex(() => k));
    return () => {
      live = false;
    };
  }, []);
  const ref = useRef<HTMLSpanElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!display || !el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [display, katex, source]);
  const className = display ? 'tex tex-display' : 'tex';
  if (!katex) {
    return (
      <code ref={ref} className={className}>
        {source}
      </code>
    );
  }
  // KaTeX's own output from the project's own formulas (never from a URL or a message).
  const html = katex.renderToString(source, { displayMode: display, throwOnError: false, output: 'mathml' });
  return <span ref={ref} className={className} tabIndex={scrolls ? 0 : undefined} dangerouslySetInnerHTML={{ __html: html }} />;
}

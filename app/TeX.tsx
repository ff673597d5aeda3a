import katex from 'katex';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';

/**
 * Renders a TeX formula with KaTeX (HTML + MathML, so screen readers get the maths too). A display formula wider
 * than its box scrolls sideways; it then takes keyboard focus, so it can be scrolled without a mouse.
 */
export function TeX({ source, display = false }: { source: string; display?: boolean }) {
  const html = useMemo(
    () => katex.renderToString(source, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' }),
    [source, display],
  );
  const ref = useRef<HTMLSpanElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!display || !el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    // KaTeX's fonts widen a formula when they arrive, which resizes nothing that an observer would see.
    let live = true;
    void document.fonts.ready.then(() => live && measure());
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => {
      live = false;
      observer.disconnect();
    };
  }, [display, html]);
  return (
    <span
      ref={ref}
      className={display ? 'tex tex-display' : 'tex'}
      tabIndex={scrolls ? 0 : undefined}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

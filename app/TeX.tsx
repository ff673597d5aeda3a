import katex from 'katex';
import { useMemo } from 'react';

/** Renders a TeX formula with KaTeX (HTML + MathML, so screen readers get the maths too). */
export function TeX({ source, display = false }: { source: string; display?: boolean }) {
  const html = useMemo(
    () => katex.renderToString(source, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' }),
    [source, display],
  );
  return <span className={display ? 'tex tex-display' : 'tex'} dangerouslySetInnerHTML={{ __html: html }} />;
}

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import postcss, { type AtRule, type Root } from 'postcss';
import { describe, expect, it } from 'vitest';

// The rules the stylesheets keep: tokens in one place, one stylesheet per component beside it, named breakpoints,
// no selector written twice and no !important outside reduced motion. Each test reads every stylesheet of app/.
const APP = join(import.meta.dirname, '..');
const THEME = import.meta.dirname;
const TOKENS = join(THEME, 'tokens.css');
const BREAKPOINTS = join(THEME, 'breakpoints.css');

const filesUnder = (ext: string) =>
  readdirSync(APP, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(APP, f));
const SHEETS = filesUnder('.css').map((path) => ({
  path,
  name: relative(APP, path),
  root: postcss.parse(readFileSync(path, 'utf8'), { from: path }),
}));
const SOURCES = [...filesUnder('.ts'), ...filesUnder('.tsx')].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** The media queries a node sits in, outermost first, as written. */
function mediaOf(node: postcss.Node): string[] {
  const out: string[] = [];
  for (let p = node.parent; p && p.type !== 'root'; p = p.parent) if (p.type === 'atrule') out.unshift((p as AtRule).params);
  return out;
}
const atRules = (root: Root, name: string) => {
  const out: AtRule[] = [];
  root.walkAtRules(name, (r) => void out.push(r));
  return out;
};
const imports = (root: Root) => atRules(root, 'import').map((r) => r.params.replace(/^['"]|['"]$/g, ''));
const NAMED = new Set(atRules(postcss.parse(readFileSync(BREAKPOINTS, 'utf8')), 'custom-media').map((r) => r.params.split(/\s/)[0]));

describe('stylesheets', () => {
  it('are found, and the breakpoints are named', () => {
    expect(SHEETS.length).toBeGreaterThan(10);
    expect(NAMED.size).toBeGreaterThan(0);
  });

  it('define each selector once in each media context, across every stylesheet', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { name, root } of SHEETS)
      root.walkRules((rule) => {
        const key = `${mediaOf(rule).join(' and ')} | ${rule.selectors.join(', ')}`;
        const first = seen.get(key);
        if (first) twice.push(`${key} (${first}, ${name})`);
        else seen.set(key, name);
      });
    expect(twice).toEqual([]);
  });

  it('use !important only to turn motion off for those who ask', () => {
    const important: string[] = [];
    for (const { name, root } of SHEETS)
      root.walkDecls((d) => {
        if (d.important && !mediaOf(d).includes('(prefers-reduced-motion: reduce)')) important.push(`${name}: ${d.prop}`);
      });
    expect(important).toEqual([]);
  });

  it('query widths only through the named breakpoints, and import them where they do', () => {
    const literal: string[] = [];
    const unknown: string[] = [];
    const unimported: string[] = [];
    for (const { path, name, root } of SHEETS) {
      if (path === BREAKPOINTS) continue;
      const names = atRules(root, 'media').flatMap((m) => m.params.match(/--[\w-]+/g) ?? []);
      for (const m of atRules(root, 'media')) if (/\b(min|max)-(width|height)\b|[<>]/.test(m.params)) literal.push(`${name}: ${m.params}`);
      for (const n of names) if (!NAMED.has(n)) unknown.push(`${name}: ${n}`);
      // Lightning CSS resolves a named breakpoint only where its declaration was imported; elsewhere it stays a
      // query no browser matches, and the rules inside never apply.
      const target = relative(dirname(path), BREAKPOINTS);
      if (names.length > 0 && !imports(root).some((i) => i === target || i === `./${target}`)) unimported.push(name);
    }
    expect(literal).toEqual([]);
    expect(unknown).toEqual([]);
    expect(unimported).toEqual([]);
  });

  it('write colours only as tokens', () => {
    const colours: string[] = [];
    for (const { path, name, root } of SHEETS) {
      if (path === TOKENS) continue;
      root.walkDecls((d) => {
        if (/#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|light-dark)\(/i.test(d.value)) colours.push(`${name}: ${d.prop}: ${d.value}`);
      });
    }
    expect(colours).toEqual([]);
  });

  it('each belong to a component beside them that imports them (the theme: the page entry)', () => {
    const orphans = SHEETS.filter(({ path }) => {
      if (path === BREAKPOINTS) return false;
      const line = `import './${basename(path)}';`;
      const owners = SOURCES.filter((s) => dirname(s.path) === dirname(path) && s.text.includes(line));
      const fromEntry = SOURCES.some((s) => s.text.includes(`import './${relative(dirname(s.path), path)}';`));
      return owners.length === 0 && !fromEntry;
    }).map((s) => s.name);
    expect(orphans).toEqual([]);
  });
});

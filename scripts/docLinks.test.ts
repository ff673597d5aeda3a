import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README and the docs point into each other and into the tree; a file moved or a heading renamed must fail
// here rather than leave a newcomer at a dead link.
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks: a link inside a code sample is not a link. */
const prose = (markdown: string) => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** The relative targets of the links and images of a Markdown text (inline code and web addresses left out). */
export function relativeLinks(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/**
 * Paths into the tree that the text names in inline code (`src/…`, `app/…`, …), which must exist too; a file the
 * reader is to write is named `my…` (`src/losses/myLoss.ts`) and left out.
 */
export function namedPaths(markdown: string): string[] {
  const code = [...prose(markdown).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return code.filter((c) => /^(src|app|e2e|scripts|public|docs)\/[\w./-]*[\w/]$/.test(c) && !/\/my[A-Z]/.test(c));
}

/** GitHub's anchors of a Markdown text's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with one link of `file` (a path from the root), or null when it resolves. */
function brokenLink(file: string, target: string): string | null {
  const [path, anchor] = target.split('#', 2);
  const to = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURIComponent(path));
  if (!existsSync(to)) return `${file}: ${target} (no ${relative(ROOT, to)})`;
  if (anchor === undefined || !to.endsWith('.md')) return null;
  return anchors(readFileSync(to, 'utf8')).has(anchor) ? null : `${file}: ${target} (no heading #${anchor} in ${relative(ROOT, to)})`;
}

describe('the README and the docs', () => {
  it.each(DOCS)('%s: every relative link and #anchor resolves', (file) => {
    const links = relativeLinks(readFileSync(join(ROOT, file), 'utf8'));
    expect(links.map((l) => brokenLink(file, l)).filter(Boolean)).toEqual([]);
  });

  it.each(DOCS)('%s: every path it names in code exists', (file) => {
    const paths = namedPaths(readFileSync(join(ROOT, file), 'utf8'));
    expect(paths.filter((p) => !existsSync(join(ROOT, p))).map((p) => `${file}: ${p}`)).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const linked = new Set(relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.split('#')[0]));
    expect(DOCS.filter((d) => d.startsWith('docs/') && !linked.has(d))).toEqual([]);
  });

  it('the README\'s "What is where" names every folder of the engine', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const where = readme.slice(readme.indexOf('## What is where'), readme.indexOf('\n## ', readme.indexOf('## What is where') + 1));
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(folders.map((d) => `src/${d.name}/`).filter((f) => !where.includes(`\`${f}\``))).toEqual([]);
  });

  it('finds a broken link, a missing heading and a missing path (the checks can fail)', () => {
    const text =
      '# A title\n[gone](docs/none.md) [here](#a-title) [there](#nowhere) `src/none.ts` `src/losses/myLoss.ts` [web](https://x.org)\n```\n[code](no.md)\n```';
    expect(relativeLinks(text)).toEqual(['docs/none.md', '#a-title', '#nowhere']);
    expect(namedPaths(text)).toEqual(['src/none.ts']);
    expect(brokenLink('README.md', 'docs/none.md')).toMatch(/no docs\/none\.md/);
    expect(anchors(text)).toEqual(new Set(['a-title']));
    expect(anchors("## Checking the tour's claims\n## `npm test`, twice\n## A\n## A")).toEqual(
      new Set(['checking-the-tours-claims', 'npm-test-twice', 'a', 'a-1']),
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSourceFiles, sourceLink, tarGz } from './sourceArchive';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'source-archive-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('source archive', () => {
  it('holds what a clone needs to build and test, and nothing that is ignored', () => {
    const files = listSourceFiles(root);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'README.md',
      'index.html',
      'vite.config.ts',
      '.ci/run',
      'src/losses/registry.ts',
      'app/App.tsx',
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => /^(node_modules|dist|\.cache|test-results)\//.test(f))).toEqual([]);
  });

  it('is a tar.gz that the system tar lists and unpacks byte for byte, long paths included', () => {
    const dir = join(scratch, 'tree');
    const deep = `${'nested-folder/'.repeat(8)}a-file-whose-path-is-longer-than-a-plain-tar-name-allows.txt`;
    writeTree(dir, { 'README.md': '# hello\n', 'src/x.ts': 'export const x = 1;\n', [deep]: 'deep\n' });
    const archive = join(scratch, 'out.tar.gz');
    writeFileSync(archive, tarGz(dir, ['README.md', 'src/x.ts', deep]));

    const listed = execFileSync('tar', ['-tzf', archive]).toString().trim().split('\n');
    expect(listed).toEqual(['seg-loss-playground/README.md', 'seg-loss-playground/src/x.ts', `seg-loss-playground/${deep}`]);
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', archive, '-C', unpacked]);
    expect(readFileSync(join(unpacked, 'seg-loss-playground', deep), 'utf8')).toBe('deep\n');
    expect(readFileSync(join(unpacked, 'seg-loss-playground/src/x.ts'), 'utf8')).toBe('export const x = 1;\n');
  });

  it('in a git checkout, skips links such as a node_modules shared from another folder', () => {
    const dir = join(scratch, 'checkout');
    writeTree(dir, { '.gitignore': 'node_modules/\n', 'package.json': '{}', 'src/a.ts': '' });
    writeTree(join(scratch, 'shared-modules'), { 'x/index.js': '' });
    symlinkSync(join(scratch, 'shared-modules'), join(dir, 'node_modules'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    const files = listSourceFiles(dir);
    expect(files).toEqual(['.gitignore', 'package.json', 'src/a.ts']);
    expect(() => tarGz(dir, files)).not.toThrow();
  });

  it('outside a git checkout, leaves out what .gitignore lists', () => {
    const dir = join(scratch, 'unpacked-copy');
    writeTree(dir, {
      '.gitignore': '# build output\nnode_modules/\ndist/\n*.log\n',
      'package.json': '{}',
      'src/a.ts': '',
      'node_modules/x/index.js': '',
      'dist/index.html': '',
      'debug.log': '',
      'src/deeper/trace.log': '',
    });
    expect(listSourceFiles(dir)).toEqual(['.gitignore', 'package.json', 'src/a.ts']);
  });

  it('outside a git checkout, reads anchored, negated and nested patterns as git does', () => {
    const dir = join(scratch, 'patterns');
    writeTree(dir, {
      '.gitignore': '/dist\n*.log\n!keep.log\ndocs/drafts\n',
      'dist/index.html': '',
      'src/dist/kept.ts': '',
      'debug.log': '',
      'keep.log': '',
      'docs/drafts/a.md': '',
      'docs/guide.md': '',
      'drafts/b.md': '',
    });
    expect(listSourceFiles(dir)).toEqual(['.gitignore', 'docs/guide.md', 'drafts/b.md', 'keep.log', 'src/dist/kept.ts']);
  });
});

describe('source link', () => {
  it('points at the bundled archive when package.json names no repository', () => {
    expect(sourceLink({}, '/')).toEqual({ href: '/source.tgz', archive: true });
    expect(sourceLink({}, '/playground/')).toEqual({ href: '/playground/source.tgz', archive: true });
  });

  it('turns every repository form npm accepts into a browsable https address', () => {
    const page = (repository: string | { url?: string }) => sourceLink({ repository }, '/').href;
    expect(page('owner/repo')).toBe('https://github.com/owner/repo');
    expect(page('gitlab:owner/repo')).toBe('https://gitlab.com/owner/repo');
    expect(page({ url: 'git+https://github.com/owner/repo.git' })).toBe('https://github.com/owner/repo');
    expect(page({ url: 'git@github.com:owner/repo.git' })).toBe('https://github.com/owner/repo');
    expect(page({ url: 'git://example.org/owner/repo.git' })).toBe('https://example.org/owner/repo');
    expect(sourceLink({ repository: 'owner/repo' }, '/').archive).toBe(false);
  });
});

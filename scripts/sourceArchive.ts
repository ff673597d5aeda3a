import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import ignore, { type Ignore } from 'ignore';
import type { Plugin } from 'vite';

/**
 * The header's "Source" link must work wherever the explorer is served, including a copy with no public repository
 * behind it, so the build ships its own source as `source.tgz`. When package.json names a repository, the link
 * goes there instead (see `sourceLink`).
 */
export const SOURCE_ARCHIVE = 'source.tgz';
const ROOT_DIR = 'seg-loss-playground';

/** The files a clone would have: git's view when there is one, else the tree minus what .gitignore lists. */
export function listSourceFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // Only regular files: git lists a symlinked node_modules as untracked (`node_modules/` ignores directories,
    // not links), and a link to a folder cannot be read as a file.
    const files = out
      .toString('utf8')
      .split('\0')
      .filter((f) => f !== '' && isRegularFile(join(root, f)));
    if (files.length > 0) return files.sort();
  } catch {
    // Not a git checkout (an unpacked source archive, for one): fall through to the ignore-file walk.
  }
  return walk(root, root, ignoreMatcher(root)).sort();
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** .gitignore as git reads it (anchored `/dist`, negated `!keep`, `a/b` paths), by the `ignore` package. */
function ignoreMatcher(root: string): Ignore {
  const path = join(root, '.gitignore');
  return ignore()
    .add('.git')
    .add(existsSync(path) ? readFileSync(path, 'utf8') : '');
}

function walk(root: string, dir: string, ignored: Ignore): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join('/');
    // A directory is tested with its trailing slash, so that `node_modules/` matches it.
    if (ignored.ignores(entry.isDirectory() ? `${rel}/` : rel)) return [];
    if (entry.isDirectory()) return walk(root, full, ignored);
    return entry.isFile() ? [rel] : [];
  });
}

/** A POSIX ustar archive, gzipped: what `tar -xzf` and every archive tool read. */
export function tarGz(root: string, files: readonly string[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const full = join(root, file);
    const data = readFileSync(full);
    const stat = statSync(full);
    blocks.push(tarHeader(`${ROOT_DIR}/${file}`, data.length, stat.mode & 0o777, Math.floor(stat.mtimeMs / 1000)));
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

function tarHeader(path: string, size: number, mode: number, mtime: number): Buffer {
  const header = Buffer.alloc(512);
  const [prefix, name] = splitPath(path);
  const put = (text: string, offset: number, length: number) => header.write(text, offset, length, 'utf8');
  const octal = (value: number, offset: number, length: number) => put(value.toString(8).padStart(length - 1, '0'), offset, length - 1);
  put(name, 0, 100);
  octal(mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(mtime, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  put(prefix, 345, 155);
  const sum = header.reduce((s, b) => s + b, 0);
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return header;
}

/** ustar keeps 100 bytes of name and 155 of prefix, split at a slash. */
function splitPath(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new Error(`${path}: too long for a tar header`);
}

export interface SourceLink {
  href: string;
  /** True when `href` is the bundled archive rather than a repository page. */
  archive: boolean;
}

/** package.json's `repository` as a browsable https address, or the bundled archive when there is none. */
export function sourceLink(pkg: { repository?: string | { url?: string } }, base: string): SourceLink {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) return { href: `${base}${SOURCE_ARCHIVE}`, archive: true };
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) {
    const host = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }[shorthand[1] ?? 'github'];
    return { href: `https://${host}/${shorthand[2]}`, archive: false };
  }
  const href = raw
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/\.git$/, '');
  return { href, archive: false };
}

/** Serves the archive during `vite` (built on request) and emits it into the build. */
export function sourceArchivePlugin(root: string): Plugin {
  const archive = () => tarGz(root, listSourceFiles(root));
  return {
    name: 'seg-loss-playground:source-archive',
    configureServer(server) {
      server.middlewares.use(`/${SOURCE_ARCHIVE}`, (_req, res) => {
        res.setHeader('Content-Type', 'application/gzip');
        res.end(archive());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: SOURCE_ARCHIVE, source: archive() });
    },
  };
}

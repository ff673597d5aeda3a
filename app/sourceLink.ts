import type { SourceLink } from '../scripts/sourceArchive';

declare const __SOURCE_LINK__: SourceLink | undefined;

/**
 * Where the header's "Source" link points: set at build time by vite.config.ts (a repository, or the bundled archive).
 * Node's unit tests import page modules (the race view's data panel links the docs) without Vite's define: the
 * archive then, whose address is never followed there.
 */
export const sourceLink: SourceLink = typeof __SOURCE_LINK__ === 'undefined' ? { href: 'source.tgz', archive: true } : __SOURCE_LINK__;

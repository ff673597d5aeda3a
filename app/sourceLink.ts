import type { SourceLink } from '../scripts/sourceArchive';

declare const __SOURCE_LINK__: SourceLink;

/** Where the header's "Source" link points: set at build time by vite.config.ts (a repository, or the bundled archive). */
export const sourceLink: SourceLink = __SOURCE_LINK__;

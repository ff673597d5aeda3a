import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * What a reader downloads before the page can paint, and what a host page downloads for an embed: printed by every
 * build with its budget. A figure to watch, not a gate (the build still succeeds above it).
 */
export const BUDGETS_KB = { page: 120, embed: 6 } as const;

/** The gzip size of each entry chunk, by entry name (`main`: the page, `embed`: embed.js). */
export function entrySizes(
  bundle: Record<string, { type: string; isEntry?: boolean; name?: string; code?: string }>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const chunk of Object.values(bundle)) {
    if (chunk.type === 'chunk' && chunk.isEntry && chunk.name && chunk.code !== undefined) out[chunk.name] = gzipSync(chunk.code).length;
  }
  return out;
}

export function bundleBudgetPlugin(): Plugin {
  return {
    name: 'seg-loss-playground:bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sizes = entrySizes(bundle as Parameters<typeof entrySizes>[0]);
      const line = (label: string, bytes: number | undefined, budget: number) =>
        bytes === undefined
          ? ''
          : `${label} ${(bytes / 1024).toFixed(1)} KB gzip (budget ${budget} KB${bytes > budget * 1024 ? ', OVER' : ''})`;
      const parts = [line('page entry chunk', sizes.main, BUDGETS_KB.page), line('embed.js', sizes.embed, BUDGETS_KB.embed)].filter(
        Boolean,
      );
      // Worker builds have no page entry; say nothing for them.
      if (parts.length) this.info(parts.join(' · '));
    },
  };
}

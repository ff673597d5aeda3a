import { useEffect } from 'react';
import type { EmbedSettings } from '../state';

/** The colour theme an embedding page asked for; `auto` follows the reader's system. */
export function useTheme(theme: EmbedSettings['theme']): void {
  useEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

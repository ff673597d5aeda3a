import type { Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions of a page (and of its workers), for "no errors" checks. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
  return errors;
}

export async function openDetails(page: Page) {
  const badge = page.getByTestId('backend-badge');
  await badge.click();
  return page.getByRole('region', { name: 'Backend details' });
}

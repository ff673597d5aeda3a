import { expect, test } from '@playwright/test';
import { CHAPTERS } from '../src/tour/chapters';
import { termAnchor, termSegments } from '../src/tour/glossary';
import { watchErrors } from './pageWatch';

/** The terms a chapter links: the first use of each, in reading order. */
const expectedTerms = (text: readonly string[]) => {
  const seen = new Set<string>();
  return text.flatMap((p) => termSegments(p, seen).flatMap((s) => (typeof s === 'string' ? [] : [s])));
};

test('every chapter links the first use of each term to its entry in the zoo, with its definition', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?view=tour&ch=${CHAPTERS[0].slug}`);
  for (const [i, chapter] of CHAPTERS.entries()) {
    await expect(page.locator('#chapter-title')).toHaveText(chapter.title);
    const links = page.locator('.tour-text a.term');
    const terms = expectedTerms(chapter.text);
    await expect(links, chapter.slug).toHaveText(terms.map((t) => t.text));
    for (const [j, t] of terms.entries()) {
      await expect(links.nth(j)).toHaveAttribute('href', new RegExp(`view=reference#${termAnchor(t.term)}$`));
      await expect(links.nth(j)).toHaveAttribute('title', t.term.definition);
    }
    if (i < CHAPTERS.length - 1) await page.getByRole('button', { name: 'Next →' }).click();
  }
  expect(errors).toEqual([]);
});

test('a term’s link opens the zoo at its entry: a loss, or the glossary', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('/?view=tour&ch=soft-iou');
  for (const name of ['logit', '1 − IoU']) {
    const link = page.locator('.tour-text a.term', { hasText: name }).first();
    const [zoo] = await Promise.all([context.waitForEvent('page'), link.click()]);
    const anchor = new URL(zoo.url()).hash.slice(1);
    await expect(zoo.locator(`[id="${anchor}"]`)).toBeInViewport();
    await zoo.close();
  }
  expect(errors).toEqual([]);
});

import { expect, test, type Page } from '@playwright/test';

// A field that cannot use what was typed keeps its setting and says why next to it, for screen readers too.

async function type(page: Page, label: string, text: string) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(text);
  await field.press('Enter');
  return field;
}

const lrParam = (page: Page) => new URL(page.url()).searchParams.get('lr');

test('bad entries keep the last good value and say why, linked to the field', async ({ page }) => {
  await page.goto('/?lr=0.05&batch=8');
  for (const [label, text, reason] of [
    ['learning rate', '', 'Enter a number.'],
    ['learning rate', 'abc', '“abc” is not a number.'],
    ['learning rate', 'Infinity', '“Infinity” is not a number.'],
    ['learning rate', '1,5', 'Write decimals with a point: 1.5.'],
    ['batch size', '0x10', '“0x10” is not a number in decimal notation.'],
    ['batch size', '', 'Enter a number.'],
  ] as const) {
    const field = await type(page, label, text);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(new RegExp(`^${reason.replace(/[.()]/g, '\\$&')} Keeping (0\\.05|8)\\.$`));
  }
  await page.waitForTimeout(400);
  expect(lrParam(page)).toBe('0.05');
  expect(new URL(page.url()).searchParams.get('batch')).toBeNull();
  // A good entry clears the message and applies.
  const field = await type(page, 'learning rate', '0.2');
  await expect(field).toHaveAttribute('aria-invalid', 'false');
  await expect(field).not.toHaveAccessibleDescription(/./);
  await expect.poll(() => lrParam(page)).toBe('0.2');
});

test.describe('in a locale that writes decimal commas', () => {
  test.use({ locale: 'de-DE' });
  test('1,5 is one and a half', async ({ page }) => {
    await page.goto('/');
    const field = await type(page, 'learning rate', '0,05');
    await expect(field).toHaveAttribute('aria-invalid', 'false');
    await expect.poll(() => lrParam(page)).toBe('0.05');
    await expect(field).toHaveValue('0.05');
  });
});

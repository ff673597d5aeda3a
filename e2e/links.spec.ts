import { expect, test } from '@playwright/test';
import { watchErrors } from './pageWatch';
import { serveDist } from './staticServer';

// What a link cut short by a chat app, padded by a script or typed by hand does to the explorer: never a blank
// page, always a notice that says what was ignored.

let server: Awaited<ReturnType<typeof serveDist>>;
test.beforeAll(async () => {
  server = await serveDist();
});
test.afterAll(async () => {
  await server.close();
});

const corrections = (page: import('@playwright/test').Page) => page.getByTestId('url-corrections').locator('li');

for (const bad of ['view=%', 'x=%ZZ', 'l=%E0%A4%A']) {
  test(`?${bad}: the explorer opens, says the parameter was ignored, and trains`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lr=0.05&${bad}`);
    await expect(corrections(page)).toHaveText([/broken %-escape.*ignored/]);
    await expect(page.getByLabel('learning rate')).toHaveValue('0.05');
    await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
    expect(errors).toEqual([]);
  });
}

test('a 60 kB address: the first 8 kB are read, the rest is reported', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${server.url}/?seed=7&${Array.from({ length: 10_000 }, () => 'l=bce').join('&')}`);
  await expect(corrections(page).first()).toContainText('only the first 8 kB were read');
  await expect(page.locator('.loss-item')).toHaveCount(6);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('3000 bad losses: the notice lists ten and says how many more', async ({ page }) => {
  await page.goto(`${server.url}/?${Array.from({ length: 3000 }, (_, i) => `l=nope${i}`).join('&')}`);
  const items = corrections(page);
  await expect(items).toHaveCount(11);
  await expect(items.last()).toHaveText(/^and \d+ more$/);
  const notice = page.getByRole('alert').filter({ has: page.getByTestId('url-corrections') });
  expect((await notice.boundingBox())!.height).toBeLessThan(400);
});

test('a combination typed with + in the address is read as typed', async ({ page }) => {
  await page.goto(`${server.url}/?l=combo(bce*1+logJaccard*1)&l=bce`);
  await expect(page.locator('.loss-item')).toHaveCount(2);
  await expect(page.getByTestId('url-corrections')).toHaveCount(0);
  await expect(page.locator('.loss-item').first()).toContainText(/combination|\+/i);
});

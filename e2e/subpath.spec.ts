import { expect, test } from '@playwright/test';
import { watchErrors } from './pageWatch';
import { serveDist } from './staticServer';

// The built site under a sub-path of a plain static host, as a course site would serve it.
const MOUNT = '/course/explorer/';
let server: Awaited<ReturnType<typeof serveDist>>;
test.beforeAll(async () => {
  server = await serveDist('dist', MOUNT);
});
test.afterAll(async () => server.close());

test('served from /course/explorer/, the explorer loads its worker and wasm, trains, and its links stay inside', async ({ page }) => {
  const errors = watchErrors(page);
  const outside: string[] = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    // The address typed without its slash and the browser's own favicon probe are not the page's requests.
    if (!pathname.startsWith(MOUNT) && ![MOUNT.slice(0, -1), '/favicon.ico'].includes(pathname)) outside.push(pathname);
  });
  // Without the trailing slash too: the host redirects to the folder.
  await page.goto(`${server.url}${MOUNT.slice(0, -1)}?sps=off`);
  expect(new URL(page.url()).pathname).toBe(MOUNT);
  await expect(page.getByTestId('backend-badge')).toContainText('wasm');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number((await page.getByTestId('step-counter').innerText()).replace(/\D/g, ''))).toBeGreaterThan(3);
  await page.getByRole('button', { name: 'Pause' }).click();
  // The source archive and a chapter link resolve under the sub-path.
  const source = await page.getByRole('link', { name: /Source/ }).getAttribute('href');
  const archive = await page.request.get(new URL(source!, page.url()).href);
  expect(archive.status()).toBe(200);
  const chapter = await page.goto(`${server.url}${MOUNT}?view=tour&ch=collapse`);
  expect(chapter?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

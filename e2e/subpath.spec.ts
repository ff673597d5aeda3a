import { expect, test } from '@playwright/test';
import { watchErrors } from './pageWatch';
import { serveDist, STRICT_CSP } from './staticServer';

// The built site under a sub-path of a plain static host, as a course site would serve it, locked down by a
// strict Content-Security-Policy: no inline script or style, wasm compiled but nothing evaluated.
const MOUNT = '/course/explorer/';
const CSP = STRICT_CSP;
let server: Awaited<ReturnType<typeof serveDist>>;
test.beforeAll(async () => {
  server = await serveDist('dist', MOUNT, { 'content-security-policy': CSP });
});
test.afterAll(async () => server.close());

test('served from /course/explorer/ under a strict CSP, the explorer loads its worker and wasm, trains, and its links stay inside', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const violations = () => page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  const outside: string[] = [];
  page.on('request', (r) => {
    const { protocol, pathname } = new URL(r.url());
    // blob: and data: addresses (an export being drawn) are the page's own memory, not the host's.
    if (protocol !== 'http:') return;
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
  // A chart's PNG (a standalone SVG drawn from a blob) and the formulas (MathML) need no inline styles either.
  const panel = page.locator('figure.chart-panel', { has: page.getByRole('heading', { name: 'Loss' }) });
  await panel.getByText('download').click();
  const [png] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'PNG', exact: true }).click()]);
  expect(png.suggestedFilename()).toMatch(/^race-loss-step-\d+\.png$/);
  expect(await violations()).toEqual([]);
  const chapter = await page.goto(`${server.url}${MOUNT}?view=tour&ch=collapse`);
  expect(chapter?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  expect(await violations()).toEqual([]);
  for (const view of ['surface', 'reference']) {
    await page.goto(`${server.url}${MOUNT}?view=${view}`);
    await expect(page.locator('math').first()).toBeAttached();
    if (view === 'surface') {
      // The maps' PNG: canvases as data: images inside an SVG drawn from a blob.
      const maps = page.locator('section.card', { has: page.getByRole('heading', { name: 'Surfaces over (z_fg, z_bg)' }) });
      await maps.getByText('download').click();
      const [file] = await Promise.all([page.waitForEvent('download'), maps.getByRole('button', { name: 'PNG', exact: true }).click()]);
      expect(file.suggestedFilename()).toBe('surface-loss-maps.png');
    }
    expect(await violations(), view).toEqual([]);
  }
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { watchErrors } from './pageWatch';

// `npm start` serves the app with Vite's dev server, where React StrictMode mounts everything twice: the first
// engine is disposed at once, and nothing it says afterwards may reach the page.

let server: ViteDevServer;
test.beforeAll(async () => {
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, strictPort: false }, logLevel: 'error' });
  await server.listen();
});
test.afterAll(async () => {
  await server?.close();
});

test('the development server opens the explorer with no error notice', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const url = server.resolvedUrls!.local[0];
  await page.goto(url);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('step 1');
  await expect(page.locator('.notice-error')).toHaveCount(0);
  await expect(page.getByText(/shut down|engine stopped/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

import { expect, test } from '@playwright/test';

// Training in the worker on each browser backend agrees with cpu over the first 20 steps.
for (const [backend, url] of [
  ['webgpu', '/?backend=webgpu'],
  ['webgl', '/?backend=webgl'],
  ['wasm', '/'],
] as const) {
  test(`${backend}: 20 training steps agree with cpu within 1e-3 relative`, async ({ page }) => {
    // SwiftShader WebGPU needs ~2.5 minutes for the 60 run-steps on an idle 2-core machine.
    test.setTimeout(480_000);
    await page.goto(url.includes('?') ? `${url}&view=reference` : '/?view=reference');
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    await page.getByRole('button', { name: 'Compare with cpu' }).click();
    const result = page.getByTestId('engine-check-result');
    await expect(result).toContainText(`${backend} vs cpu: largest relative difference`, { timeout: 450_000 });
    const diff = Number(await result.getAttribute('data-max-relative-difference'));
    expect(diff).toBeGreaterThanOrEqual(0);
    expect(diff).toBeLessThan(1e-3);
  });
}

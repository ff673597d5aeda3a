import { expect, test } from '@playwright/test';

// Training in the worker on each browser backend agrees with cpu, step by step. SwiftShader WebGPU (a CPU Vulkan)
// took ~2.5 minutes for the page's default 20 steps on an idle 2-core machine, SwiftShader WebGL 1.5 minutes, and the
// cpu side of each check runs in plain JavaScript; fewer steps run the same kernels.
for (const [backend, url, steps] of [
  ['webgpu', '/?backend=webgpu', 5],
  ['webgl', '/?backend=webgl', 5],
  ['wasm', '/', 10],
] as const) {
  test(`${backend}: ${steps} training steps agree with cpu within 1e-3 relative`, async ({ page }) => {
    test.setTimeout(480_000);
    await page.goto(url.includes('?') ? `${url}&view=reference` : '/?view=reference');
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    const stepsField = page.getByLabel('steps to compare');
    await stepsField.fill(String(steps));
    await stepsField.press('Enter');
    await page.getByRole('button', { name: 'Compare with cpu' }).click();
    const result = page.getByTestId('engine-check-result');
    await expect(result).toContainText(`${backend} vs cpu: largest relative difference`, { timeout: 450_000 });
    await expect(result).toContainText(`over ${steps} steps`);
    const diff = Number(await result.getAttribute('data-max-relative-difference'));
    expect(diff).toBeGreaterThanOrEqual(0);
    expect(diff).toBeLessThan(1e-3);
  });
}

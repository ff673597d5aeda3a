import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { takeHome, zooInput } from '../src/code/takeHome';
import { parseExperimentConfig, taskOf } from '../src/config/experimentConfig';
import { CONDITIONED_LOSS, FLAT_LOSS, pixelLoss } from '../src/losses/lesson';
import type { Task } from '../src/losses/lossDefinition';
import { lossInfo, resolveLoss } from '../src/losses/registry';
import { CHAPTERS } from '../src/tour/chapters';
import { watchErrors } from './pageWatch';

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Presses the tab, then its Copy button, and returns what the clipboard holds (and checks the button says so). */
async function copyFrom(block: Locator, tab: string, which = 0): Promise<string> {
  await block.getByRole('tab', { name: tab }).click();
  const button = block.getByRole('tabpanel').getByRole('button', { name: /^Copy/ }).nth(which);
  await button.click();
  await expect(block.getByRole('tabpanel').getByRole('button', { name: /^Copied/ })).toBeVisible();
  return block.page().evaluate(() => navigator.clipboard.readText());
}

/** Opens an "In your code" block (again, should the page have redrawn it closed while it loaded). */
async function open(block: Locator) {
  await expect(async () => {
    if (!(await block.getByRole('tablist').isVisible())) await block.locator('summary').click();
    await expect(block.getByRole('tablist')).toBeVisible({ timeout: 1000 });
  }).toPass();
}

const zooItem = (page: Page, id: string) =>
  page.locator('.zoo-item').filter({ has: page.locator('code.zoo-id', { hasText: new RegExp(`^${id}$`) }) });

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('the zoo: each tab’s Copy button copies that tab’s code, for the task chosen', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?view=reference');
  const def = lossInfo(CONDITIONED_LOSS)!;
  const block = zooItem(page, def.id).locator('.in-your-code');
  await open(block);
  const code = (task: Task) => takeHome(resolveLoss(zooInput(def, task)), task);
  // The library's own call where one computes the same loss (smp's JaccardLoss with log_loss here).
  expect(code('binary').library.length).toBeGreaterThan(0);
  expect(await copyFrom(block, 'Library call')).toBe(code('binary').library[0].code);
  expect(await copyFrom(block, 'PyTorch function')).toBe(code('binary').torch);
  await block.getByRole('radio', { name: 'multi-class' }).check();
  // A new task is new code: the button no longer says it was copied.
  await expect(block.getByRole('button', { name: /^Copied/ })).toHaveCount(0);
  expect(await copyFrom(block, 'PyTorch function')).toBe(code('multiclass').torch);
  expect(await copyFrom(block, 'tfjs')).toBe(code('multiclass').tfjs);
  expect(errors).toEqual([]);
});

test('a race card: the run’s own options reach the code it copies', async ({ page }) => {
  const errors = watchErrors(page);
  // 1 − IoU with its first enum option changed, beside the pixel loss.
  const def = lossInfo(FLAT_LOSS)!;
  const field = def.params.find((p) => p.kind === 'enum')!;
  const other = field.kind === 'enum' ? field.options.find((o) => o !== field.default)! : '';
  await page.goto(`/?v=3&l=${def.id}(${field.key}:${other})&l=${pixelLoss('binary')}`);
  const spec = resolveLoss({ id: def.id, [field.key]: other });
  const block = page.locator('.loss-item').first().locator('.in-your-code');
  await open(block);
  const code = takeHome(spec, 'binary');
  expect(await copyFrom(block, 'PyTorch function')).toBe(code.torch);
  expect(await copyFrom(block, 'tfjs')).toBe(code.tfjs);
  expect(code.tfjs).toContain(`${field.key}: '${other}'`);
  // No library call computes it: the tab says so and offers the nearest, with what differs.
  await block.getByRole('tab', { name: 'Library call' }).click();
  expect(code.library).toEqual([]);
  await expect(block.getByRole('tabpanel')).toContainText('No segmentation_models_pytorch or MONAI call computes exactly this loss');
  await expect(block.getByRole('tabpanel')).toContainText(`${field.label}: ${field.default} there, ${other} here`);
  expect(errors).toEqual([]);
});

test('a refused clipboard: the code is selected and the block says how to copy it', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new Error('denied')) });
  });
  await page.goto('/?view=reference');
  const def = lossInfo(FLAT_LOSS)!;
  const block = zooItem(page, def.id).locator('.in-your-code');
  await open(block);
  await block.getByRole('tab', { name: 'PyTorch function' }).click();
  await block.getByRole('button', { name: /^Copy/ }).click();
  await expect(block.getByRole('status')).toContainText('The browser refused the clipboard');
  await expect(block.getByRole('button', { name: /^Copied/ })).toHaveCount(0);
  const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
  expect(selected.trimEnd()).toBe(takeHome(resolveLoss({ id: def.id }), 'binary').torch.trimEnd());
});

const withCode = CHAPTERS.filter((c) => c.figure.kind === 'race' && c.figure.code);

test('the chapters with code to take home: one block per loss of the race, each copying its loss', async ({ page }) => {
  expect(withCode.length).toBeGreaterThan(0);
  for (const chapter of withCode) {
    if (chapter.figure.kind !== 'race') continue;
    await page.goto(`/?view=tour&ch=${chapter.slug}`);
    const race = parseExperimentConfig(chapter.figure.config);
    const blocks = page.locator('.race-code .in-your-code');
    await expect(blocks).toHaveCount(race.losses.length);
    for (const [i, spec] of race.losses.entries()) {
      const block = blocks.nth(i);
      await open(block);
      const code = takeHome(spec, taskOf(race.data.classes));
      expect(await copyFrom(block, 'PyTorch function')).toBe(code.torch);
      if (code.library.length) expect(await copyFrom(block, 'Library call')).toBe(code.library[0].code);
      expect(await copyFrom(block, 'tfjs')).toBe(code.tfjs);
    }
  }
});

for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`open code blocks at ${width}×${height}, ${scheme}: the page never widens, axe finds nothing`, async ({ page }, info) => {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/?view=reference');
      const item = zooItem(page, CONDITIONED_LOSS);
      await open(item.locator('.in-your-code'));
      await item.getByRole('tab', { name: 'PyTorch function' }).click();
      const pre = item.locator('pre');
      // On a phone the long lines scroll inside the block (on a laptop the open block takes the row and they fit).
      if (width < 600) expect(await pre.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      await item.scrollIntoViewIfNeeded();
      await page.screenshot({ path: info.outputPath(`zoo-code-${width}x${height}-${scheme}.png`) });
      expect(await axeViolations(page)).toEqual([]);

      const chapter = withCode[0];
      await page.goto(`/?view=tour&ch=${chapter.slug}`);
      const section = page.locator('.race-code');
      const blocks = section.locator('.in-your-code');
      if (chapter.figure.kind === 'race') await expect(blocks).toHaveCount(parseExperimentConfig(chapter.figure.config).losses.length);
      for (let i = 0; i < (await blocks.count()); i++) await open(blocks.nth(i));
      await section.getByRole('tab', { name: 'PyTorch function' }).first().click();
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: info.outputPath(`tour-code-${width}x${height}-${scheme}.png`) });
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}

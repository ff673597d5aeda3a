// Where a machine without a GPU driver can still get WebGPU in Node: the SwiftShader Vulkan driver (a CPU Vulkan)
// that every Chromium ships beside its binary, with a Vulkan loader of its own. Node built-ins only: vitest.config.ts
// imports this before anything else, and the bench bundles it.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { constants, homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const SWIFTSHADER_ICD = 'vk_swiftshader_icd.json';
const VULKAN_LOADER = 'libvulkan.so.1';

/** A Chromium folder with SwiftShader: its ICD file, and the Vulkan loader beside it (null where it has none). */
export interface SwiftShader {
  dir: string;
  icd: string;
  loader: string | null;
}

/** Playwright's own Chromium builds (a fresh machine's `npx playwright install`), newest first. */
function playwrightDirs(): string[] {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  let builds: string[];
  try {
    builds = readdirSync(root).filter((d) => d.startsWith('chromium'));
  } catch {
    return [];
  }
  return builds
    .sort()
    .reverse()
    .flatMap((b) => ['chrome-linux', 'chrome-linux64', 'chrome-headless-shell-linux64'].map((sub) => join(root, b, sub)));
}

/** Chromium's folder from CHROMIUM_PATH (Debian's /usr/bin/chromium is a wrapper script: its folder has no ICD). */
function fromChromiumPath(): string[] {
  const path = process.env.CHROMIUM_PATH;
  if (!path || !existsSync(path)) return [];
  return [dirname(path), dirname(realpathSync(path))];
}

/** The first Chromium folder that has SwiftShader's Vulkan ICD: CHROMIUM_PATH's, Debian's and Ubuntu's, then Playwright's. */
export function findSwiftShader(): SwiftShader | null {
  const dirs = [...fromChromiumPath(), '/usr/lib/chromium', '/usr/lib/chromium-browser', '/opt/google/chrome', ...playwrightDirs()];
  const dir = dirs.find((d) => existsSync(join(d, SWIFTSHADER_ICD)));
  if (!dir) return null;
  const loader = join(dir, VULKAN_LOADER);
  return { dir, icd: join(dir, SWIFTSHADER_ICD), loader: existsSync(loader) ? loader : null };
}

/**
 * The environment that makes a process started with it find SwiftShader (for test workers, which start after the
 * config has run): empty where the caller already chose a Vulkan driver or none is found. LD_LIBRARY_PATH is read
 * when a process starts, so it only helps a process started afterwards; nodeWebGpu.ts does the same in-process.
 */
export function swiftShaderEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return {};
  const found = findSwiftShader();
  if (!found) return {};
  return {
    VK_ICD_FILENAMES: found.icd,
    LD_LIBRARY_PATH: [found.dir, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
}

/** glibc's RTLD_NODELETE, which Node's os.constants.dlopen leaves out. */
const RTLD_NODELETE = 0x1000;

/**
 * Makes Vulkan instances created from now on in this process use SwiftShader: the loader reads VK_ICD_FILENAMES
 * when an instance is created, so setting it here is enough for it; but Dawn opens the loader by its bare name,
 * which the dynamic linker finds only through the paths it read at process start. So the loader beside SwiftShader
 * is loaded by its full path first, marked never to unload: Dawn's dlopen("libvulkan.so.1") then gets that one.
 * process.dlopen is Node's way to load a library; it throws because this one is no Node addon, after loading it.
 * Returns what it did, in words.
 */
export function useSwiftShader(found: SwiftShader): string {
  process.env.VK_ICD_FILENAMES = found.icd;
  if (!found.loader || process.platform !== 'linux') return `VK_ICD_FILENAMES=${found.icd}`;
  try {
    process.dlopen({ exports: {} }, found.loader, constants.dlopen.RTLD_NOW | RTLD_NODELETE);
  } catch (e) {
    // "Module did not self-register" is expected: the library stays loaded (RTLD_NODELETE). Anything else is not.
    const message = e instanceof Error ? e.message : String(e);
    if (!message.includes('self-register')) return `VK_ICD_FILENAMES=${found.icd}; ${found.loader} did not load (${message})`;
  }
  return `VK_ICD_FILENAMES=${found.icd}, Vulkan loader ${found.loader}`;
}

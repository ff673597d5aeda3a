// WebGPU in Node through Dawn (the npm package `webgpu`, a dev dependency): for the bench and the CLI on a machine
// with a GPU and no browser. Its globals (GPUBufferUsage, …) go on globalThis and navigator.gpu is Dawn's, as its
// README says; tfjs-backend-webgpu, imported afterwards, then registers itself as in a browser. Where Dawn finds no
// adapter and no Vulkan driver was chosen, it takes Chromium's SwiftShader (swiftShader.ts) by itself.
import { tf } from '../tf';
import type { BackendLoaders } from './types';

interface DawnModule {
  create: (flags: string[]) => unknown;
  globals: Record<string, unknown>;
}

type RequestDevice = (this: unknown, descriptor?: { requiredFeatures?: unknown[] }) => Promise<unknown>;

interface GpuLike {
  requestAdapter: () => Promise<unknown>;
}

let installed: Promise<string | null> | null = null;
let driverNote: string | null = null;

/** How installNodeWebGpu got its adapter when it was not the machine's own driver (SwiftShader), else null. */
export const nodeWebGpuDriver = (): string | null => driverNote;

/**
 * Dawn's navigator.gpu: the machine's Vulkan driver, or, where it gives no adapter and neither VK_ICD_FILENAMES nor
 * VK_DRIVER_FILES names one, Chromium's SwiftShader through a second Dawn instance (the Vulkan loader reads the
 * driver list when an instance is created).
 */
async function createGpu(dawn: DawnModule, flags: string[]): Promise<unknown> {
  const gpu = dawn.create(flags);
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return gpu;
  if (await (gpu as GpuLike).requestAdapter().catch(() => null)) return gpu;
  const { findSwiftShader, useSwiftShader } = await import('./swiftShader');
  const found = findSwiftShader();
  if (!found) return gpu;
  driverNote = `no GPU adapter from the system's Vulkan: SwiftShader from ${found.dir} (${useSwiftShader(found)})`;
  return dawn.create(flags);
}

/** Puts Dawn's navigator.gpu in place (once); the reason in words when it cannot. */
export function installNodeWebGpu(flags: string[] = []): Promise<string | null> {
  installed ??= (async () => {
    let dawn: DawnModule;
    try {
      dawn = (await import('webgpu')) as unknown as DawnModule;
    } catch (e) {
      return `the webgpu package could not be loaded (${(e as Error).message}); npm install brings it (a dev dependency)`;
    }
    Object.assign(globalThis, dawn.globals);
    // tfjs 4.22 passes its required features as nested arrays, which Chrome forgives by stringifying: so does this.
    const proto = (dawn.globals.GPUAdapter as { prototype: { requestDevice: RequestDevice } }).prototype;
    const original = proto.requestDevice;
    proto.requestDevice = function (descriptor) {
      const requiredFeatures = descriptor?.requiredFeatures?.map((f) => String(f));
      return original.call(this, descriptor && { ...descriptor, requiredFeatures });
    };
    const gpu = await createGpu(dawn, flags);
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    return null;
  })();
  return installed;
}

/** The webgpu backend for Node, for selectBackend; call installNodeWebGpu first (the adapter probe needs it). */
export const nodeWebGpuLoaders: BackendLoaders = {
  webgpu: async () => {
    const why = await installNodeWebGpu();
    if (why) throw new Error(why);
    tf.env().set('PROD', true);
    await import('@tensorflow/tfjs-backend-webgpu');
  },
};

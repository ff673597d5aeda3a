// WebGPU in Node through Dawn (the npm package `webgpu`, a dev dependency): for the bench and the CLI on a machine
// with a GPU and no browser. Its globals (GPUBufferUsage, …) go on globalThis and navigator.gpu is Dawn's, as its
// README says; tfjs-backend-webgpu, imported afterwards, then registers itself as in a browser.
import { tf } from '../tf';
import type { BackendLoaders } from './types';

interface DawnModule {
  create: (flags: string[]) => unknown;
  globals: Record<string, unknown>;
}

type RequestDevice = (this: unknown, descriptor?: { requiredFeatures?: unknown[] }) => Promise<unknown>;

let installed: Promise<string | null> | null = null;

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
    const gpu = dawn.create(flags);
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

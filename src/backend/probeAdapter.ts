import type { AdapterInfo } from './types';

const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter: (options?: { powerPreference?: string }) => Promise<GpuAdapterLike | null>;
}

export type Probe = { ok: true; adapter: AdapterInfo } | { ok: false; reason: string };

function describe(info: GpuAdapterInfoLike, fallbackFlag: boolean): AdapterInfo {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description || info.device || '';
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? fallbackFlag);
  const software = isFallbackAdapter || SOFTWARE.test(`${vendor} ${architecture} ${description}`);
  return { vendor, architecture, description, isFallbackAdapter, software };
}

/** Asks for a WebGPU adapter the way tfjs will, and reports what it is (or why there is none). */
export async function probeWebGpu(): Promise<Probe> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'this browser exposes no navigator.gpu (WebGPU is off or unsupported)' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or blocklisted)' };
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  return { ok: true, adapter: describe(info, Boolean(adapter.isFallbackAdapter)) };
}

const UNMASKED_VENDOR = 0x9245;
const UNMASKED_RENDERER = 0x9246;

/** Opens a throw-away WebGL2 context (OffscreenCanvas, so it works in a worker) and reads the renderer. */
export function probeWebGl(): Probe {
  if (typeof OffscreenCanvas === 'undefined') return { ok: false, reason: 'no OffscreenCanvas here, so no WebGL context' };
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  } catch (e) {
    return { ok: false, reason: `creating a WebGL2 context failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!gl) return { ok: false, reason: 'no WebGL2 context (disabled, or no GPU driver)' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(ext ? UNMASKED_VENDOR : gl.VENDOR) ?? '');
  const renderer = String(gl.getParameter(ext ? UNMASKED_RENDERER : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return {
    ok: true,
    adapter: {
      vendor,
      architecture: '',
      description: renderer,
      isFallbackAdapter: false,
      software: SOFTWARE.test(`${vendor} ${renderer}`),
    },
  };
}

export function adapterLabel(a: AdapterInfo): string {
  const parts = [a.vendor, a.architecture, a.description].filter(Boolean);
  const name = parts.length ? [...new Set(parts)].join(' · ') : 'unnamed adapter';
  return a.isFallbackAdapter ? `${name}, isFallbackAdapter` : name;
}

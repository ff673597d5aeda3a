export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export function isBackendName(x: unknown): x is BackendName {
  return typeof x === 'string' && (BACKEND_ORDER as readonly string[]).includes(x);
}

/** What the adapter says of itself (WebGPU adapter info, or the WebGL renderer string). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  /** A CPU implementation (SwiftShader, llvmpipe, …): far slower than wasm for a net this small. */
  software: boolean;
}

/** `slower`: it works, but trained these settings more slowly than the one chosen (see BackendReport.measured). */
export type CandidateStatus = 'chosen' | 'skipped' | 'failed' | 'demoted' | 'not tried' | 'slower';

export interface CandidateReport {
  name: BackendName;
  status: CandidateStatus;
  /** Why it was not chosen, in words a user can act on. */
  reason?: string;
  adapter?: AdapterInfo;
}

export interface BackendReport {
  backend: BackendName;
  adapter?: AdapterInfo;
  /** The backend the user asked for (`?backend=`), if any. */
  requested?: BackendName;
  /** Set when the requested backend could not be used; the automatic choice was taken instead. */
  requestNotice?: string;
  candidates: CandidateReport[];
  selfTest: { ok: boolean; detail: string };
  /**
   * The automatic choice timed real training steps of the race's settings on every backend that works: their
   * speeds (lockstep steps per second) and the sentence the badge shows, e.g. "webgpu 43 steps/s, wasm 111:
   * using wasm". Absent when only one backend works or one was requested.
   */
  measured?: { stepsPerSecond: Partial<Record<BackendName, number>>; text: string };
}

/** Registers a backend's module (dynamic import, wasm paths, …); absent where that backend is not bundled. */
export type BackendLoaders = Partial<Record<BackendName, () => Promise<void>>>;

import { tf } from '../tf';
import { adapterLabel, probeWebGl, probeWebGpu, type Probe } from '../backend/probeAdapter';
import { BACKEND_ORDER, type BackendLoaders, type BackendName, type BackendReport, type CandidateReport } from '../backend/types';
import { runSelfTest } from './selfTest';

export interface SelectOptions {
  loaders: BackendLoaders;
  /** A backend the user asked for; software adapters are accepted for it. */
  requested?: BackendName;
  /** Candidates in order of preference (default webgpu → webgl → wasm → cpu). */
  order?: readonly BackendName[];
  /** Backends not to try, each with the reason (e.g. its GPU device was lost in this session). */
  exclude?: readonly { name: BackendName; reason: string }[];
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function probe(name: BackendName): Promise<Probe | undefined> {
  if (name === 'webgpu') return probeWebGpu();
  if (name === 'webgl') return probeWebGl();
  return undefined;
}

/** Tries one backend; returns its report, with status 'chosen' when it is now the active, verified backend. */
export async function tryBackend(name: BackendName, loaders: BackendLoaders, acceptSoftware: boolean): Promise<Tried> {
  const load = loaders[name];
  if (!load) return { name, status: 'skipped', reason: 'not available in this environment' };
  const probed = await probe(name);
  if (probed && !probed.ok) return { name, status: 'skipped', reason: probed.reason };
  const adapter = probed?.adapter;
  if (adapter?.software && !acceptSoftware) {
    return {
      name,
      status: 'skipped',
      adapter,
      reason: `software adapter (${adapterLabel(adapter)}): many times slower than wasm for a net this small; add ?backend=${name} to use it anyway`,
    };
  }
  try {
    await load();
    const ok = await tf.setBackend(name);
    if (!ok) return { name, status: 'failed', adapter, reason: `tf.setBackend('${name}') returned false (initialisation failed)` };
    await tf.ready();
  } catch (e) {
    return { name, status: 'failed', adapter, reason: `initialisation error: ${errorText(e)}` };
  }
  if (tf.getBackend() !== name) {
    return { name, status: 'failed', adapter, reason: `tfjs fell back to '${tf.getBackend()}' silently` };
  }
  const test = await runSelfTest();
  if (!test.ok) return { name, status: 'demoted', adapter, reason: `${test.detail} (device-specific wrong results, cf. tfjs #8590)` };
  return { name, status: 'chosen', adapter, selfTest: test.detail };
}

export type Tried = CandidateReport & { selfTest?: string };

/**
 * Picks the fastest backend that works here and computes correctly: webgpu → webgl → wasm → cpu, each set with
 * tf.setBackend (its boolean checked), confirmed with tf.getBackend (tfjs falls back silently) and verified by
 * a numeric self-test. Software adapters are skipped unless requested. Every candidate's fate is reported.
 */
export async function selectBackend(options: SelectOptions): Promise<BackendReport> {
  const order = options.order ?? BACKEND_ORDER;
  const candidates: CandidateReport[] = [];
  let requestNotice: string | undefined;
  const excluded = new Map((options.exclude ?? []).map((e) => [e.name, e.reason]));
  // An excluded backend is not tried even when requested; the caller, who excluded it, says why.
  if (options.requested && !excluded.has(options.requested)) {
    const r = await tryBackend(options.requested, options.loaders, true);
    if (r.status === 'chosen') return finish(r, candidates, options.requested, undefined);
    candidates.push(r);
    requestNotice = `The requested backend '${options.requested}' is not usable here (${r.reason}); using the automatic choice instead.`;
  }
  for (const name of order) {
    if (excluded.has(name)) {
      candidates.push({ name, status: 'skipped', reason: excluded.get(name) });
      continue;
    }
    if (name === options.requested) continue;
    const r = await tryBackend(name, options.loaders, false);
    if (r.status === 'chosen') return finish(r, candidates, options.requested, requestNotice);
    candidates.push(r);
  }
  throw new Error(`No TensorFlow.js backend works here: ${candidates.map((c) => `${c.name}: ${c.reason}`).join('; ')}`);
}

function finish(chosen: Tried, tried: CandidateReport[], requested: BackendName | undefined, requestNotice?: string): BackendReport {
  const { selfTest, ...candidate } = chosen;
  const seen = new Set([chosen.name, ...tried.map((c) => c.name)]);
  const untried: CandidateReport[] = BACKEND_ORDER.filter((n) => !seen.has(n)).map((name) => ({ name, status: 'not tried' }));
  return {
    backend: chosen.name,
    adapter: chosen.adapter,
    requested,
    requestNotice,
    candidates: [...tried, candidate, ...untried],
    selfTest: { ok: true, detail: selfTest ?? '' },
  };
}

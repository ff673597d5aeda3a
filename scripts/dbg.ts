import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { Race } from '../src/train/race';
import { tf } from '../src/tf';
export async function main(args: string[]) {
  await selectBackend({ loaders: nodeLoaders, requested: (args[0] as 'wasm') ?? 'wasm' });
  const cfg = parseExperimentConfig({ evalEvery: 1000, losses: [{ id: 'bce' }] });
  const race = new Race(cfg);
  await race.advance(5);
  let t0 = performance.now();
  await race.advance(100);
  console.log('bce steps/s', (100 / ((performance.now() - t0) / 1000)).toFixed(1));
  const prof = await tf.profile(async () => { await race.advance(20); });
  const byKernel = new Map<string, number>();
  for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  console.log([...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('\n'));
  console.log('kernels per step', prof.kernels.length / 20);
  return 0;
}

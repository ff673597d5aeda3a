import { writeFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { Race } from '../src/train/race';
import { raceResults, resultsCsv } from '../src/train/results';
import { readRaceInput } from './dataOption';

const USAGE = 'usage: npm run experiment -- --config FILE.json [--data DIR] [--out results.json] [--csv results.csv] [--backend cpu|wasm]';

interface Args {
  config: string;
  /** A folder of one's own images and masks, instead of the config's synthetic shapes. */
  data?: string;
  out?: string;
  csv?: string;
  backend: 'cpu' | 'wasm';
}

function args(argv: string[]): Args | string {
  const parsed = readArgs(argv, {
    config: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    csv: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  });
  if (typeof parsed === 'string') return parsed;
  const { config, data, out, csv, backend } = parsed.values;
  if (backend !== 'cpu' && backend !== 'wasm') return `--backend: expected cpu or wasm, got ${backend}`;
  return config ? { config, data, out, csv, backend } : '--config FILE.json is required';
}

function progressLine(race: Race, total: number): string {
  const runs = race.histories.map((h, i) => {
    const id = race.lossSpecs[i].id;
    if (race.diverged[i] !== null) return `${id} diverged at ${race.diverged[i]}`;
    const iou = h.val.iou.at(-1);
    return `${id} loss ${h.loss.at(-1)?.toPrecision(4) ?? '–'} IoU ${iou === undefined || Number.isNaN(iou) ? '–' : iou.toFixed(3)}`;
  });
  return `step ${race.step}/${total} · ${runs.join(' · ')}`;
}

/** Trains a race from a config file in Node and writes every series. */
export async function main(argv: string[]): Promise<number> {
  const parsed = args(argv);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const input = await readRaceInput(parsed.config, parsed.data, (line) => console.error(line));
  if (typeof input === 'string') {
    console.error(input);
    return 2;
  }
  const { config, dataset } = input;
  const backend = await selectBackend({ loaders: nodeLoaders, requested: parsed.backend, order: [parsed.backend] });
  const race = new Race(config, dataset);
  console.error(`backend ${backend.backend} · ${race.parameterCount} parameters · ${config.losses.length} losses · ${config.steps} steps`);
  const started = performance.now();
  const chunk = Math.max(1, Math.min(config.evalEvery, 50));
  let lastPrint = 0;
  while (race.step < config.steps && race.diverged.some((d) => d === null)) {
    await race.advance(Math.min(chunk, config.steps - race.step));
    if (performance.now() - lastPrint > 1000 || race.step >= config.steps) {
      lastPrint = performance.now();
      console.error(progressLine(race, config.steps));
    }
  }
  await race.evaluate();
  const seconds = (performance.now() - started) / 1000;
  console.error(`done in ${seconds.toFixed(1)} s (${(race.step / seconds).toFixed(1)} lockstep steps/s)`);
  const results = raceResults(race, backend.backend);
  race.dispose();
  if (parsed.out) await writeFile(parsed.out, JSON.stringify(results, null, 1));
  if (parsed.csv) await writeFile(parsed.csv, resultsCsv(results));
  for (const run of results.runs) {
    const f = run.final;
    console.log(
      `${run.loss.id}\tfinal loss ${f.loss?.toPrecision(4)}\tvalidation IoU ${f.valIoU?.toFixed(3)}${run.diverged !== null ? `\tdiverged at step ${run.diverged}: ${run.divergedBecause}` : ''}`,
    );
  }
  return 0;
}

import { writeFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { checkField, ConfigError, type Field } from '../src/schema/schema';
import { LANDSCAPE_FIELDS, type LandscapeSettings } from '../src/landscape/landscapeSettings';
import { raceLandscape, type LandscapeResult } from '../src/landscape/raceLandscape';
import { WeightTrail } from '../src/landscape/trail';
import { Race } from '../src/train/race';
import { readRaceInput } from './dataOption';

const USAGE =
  'usage: npm run landscape -- --config FILE.json [--data DIR] --steps N [--grid G] [--dirs random|pca] [--seed S] [--images M] [--runs 0,2] --out FILE.json [--backend cpu|wasm]';

/** The options the CLI takes from the landscape's settings table (the page's lgrid, ldirs, lseed, lpath, limages, lruns). */
const OPTIONS = ['grid', 'dirs', 'seed', 'path', 'images', 'runs'] as const;
const STEPS = { key: 'steps', label: 'steps', kind: 'int', min: 0, max: 1_000_000, default: 0, help: '' } as const satisfies Field;

interface Args {
  config: string;
  /** A folder of one's own images and masks, instead of the config's synthetic shapes. */
  data?: string;
  out: string;
  steps: number;
  backend: 'cpu' | 'wasm';
  settings: Pick<LandscapeSettings, (typeof OPTIONS)[number]>;
}

/** A command-line value checked against its field, strictly: a value out of range is an error naming the option. */
function readOption(field: Field, raw: string): unknown {
  const number = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  const value = field.kind === 'enum' ? raw : field.kind === 'intList' ? raw.split(',').map(number) : number(raw);
  return checkField(field, value, `--${field.key}`);
}

function args(argv: string[]): Args | string {
  const parsed = readArgs(argv, {
    config: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    steps: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    ...Object.fromEntries(OPTIONS.map((o) => [o, { type: 'string' as const }])),
  });
  if (typeof parsed === 'string') return parsed;
  const { config, data, out, steps, backend } = parsed.values as Record<string, string | undefined>;
  if (!config) return '--config FILE.json is required';
  if (!out) return '--out FILE.json is required';
  if (steps === undefined) return '--steps N is required';
  if (backend !== 'cpu' && backend !== 'wasm') return `--backend: expected cpu or wasm, got ${backend}`;
  const settings: Record<string, unknown> = {};
  try {
    for (const field of LANDSCAPE_FIELDS) {
      const raw = (parsed.values as Record<string, string | undefined>)[field.key];
      if ((OPTIONS as readonly string[]).includes(field.key))
        settings[field.key] = raw === undefined ? field.default : readOption(field, raw);
    }
    return { config, data, out, backend, steps: readOption(STEPS, steps) as number, settings: settings as Args['settings'] };
  } catch (e) {
    return (e as Error).message;
  }
}

const range = (xs: number[]) => {
  const finite = xs.filter(Number.isFinite);
  return finite.length ? `${Math.min(...finite).toPrecision(3)}–${Math.max(...finite).toPrecision(3)}` : '–';
};

/** One line per run: how much the loss, the IoU and BCE change over the slice. */
function summary(result: LandscapeResult): string[] {
  return result.runs.map((r) => {
    const pca = r.trajectory
      ? ` · PCA explains ${(100 * r.trajectory.explained[0]).toFixed(0)}% + ${(100 * r.trajectory.explained[1]).toFixed(0)}%`
      : '';
    return `${r.loss.id}\tslice loss ${range(r.slice.loss)}\tIoU ${range(r.slice.iou)}\tBCE ${range(r.slice.bce)}${pca}`;
  });
}

/** Trains a race from a config file, keeping its trajectory, then writes every run's path and slice. */
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
  const trail = new WeightTrail();
  console.error(`backend ${backend.backend} · ${config.losses.length} losses · training ${parsed.steps} steps`);
  const started = performance.now();
  try {
    trail.add(0, await race.runWeights());
    while (race.step < parsed.steps) {
      await race.advance(Math.min(trail.every, parsed.steps - race.step));
      if (trail.due(race.step) && race.step < parsed.steps) trail.add(race.step, await race.runWeights());
    }
    const weights = await race.runWeights();
    const source = {
      config,
      val: race.dataset.val,
      step: race.step,
      runs: weights.map((w, i) => ({ weights: w, checkpoints: trail.before(race.step).map((p) => p.runs[i]) })),
    };
    let lastPrint = 0;
    const result = await raceLandscape(source, parsed.settings, (done, total) => {
      if (performance.now() - lastPrint > 1000 || done === total) {
        lastPrint = performance.now();
        console.error(`landscape: ${done}/${total} weight sets`);
      }
    });
    await writeFile(parsed.out, JSON.stringify(result));
    console.error(
      `done in ${((performance.now() - started) / 1000).toFixed(1)} s · ${trail.points.length} checkpoints, every ${trail.every} steps`,
    );
    for (const line of summary(result)) console.log(line);
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // The settings' own errors name the field; here it is the option.
    console.error(`${e.message.replace(/^(runs|dirs):/, '--$1:')}\n${USAGE}`);
    return 2;
  } finally {
    race.dispose();
  }
}

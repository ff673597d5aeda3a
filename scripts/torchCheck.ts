import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArgs } from './cliArgs';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { libraryCalls } from '../src/code/libraryCall';
import { pySource } from '../src/code/pySource';
import { torchProgram } from '../src/code/torchFunction';
import { HARNESS, type TorchAnswer, type TorchJob } from '../src/code/torchHarness';
import { answerMiss, optionRows, referenceRows, torchInputs, type CheckRow, type Expected } from '../src/code/torchJobs';
import { buildLoss } from '../src/losses/buildLoss';
import { checkVectorFile } from '../src/reference/vectorFile';
import { tf, type Tensor } from '../src/tf';

const USAGE = 'usage: npm run torch:check -- [--python PATH] [--vectors FILE.json] [--keep]';
const DEFAULT_VECTORS = 'src/reference/loss-vectors.json';
/** Where Debian's python3-torch lives when another python3 (pyenv, a venv) comes first on the PATH. */
const PYTHONS = ['python3', '/usr/bin/python3'];

const imports = (python: string, module: string) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** The row's value and logit gradient from this project's engine, in the reference's order (NCHW). */
function engineAnswer(row: CheckRow): Expected {
  const [b, c, h, w] = row.input.shape;
  const fn = buildLoss(row.spec);
  return tf.tidy(() => {
    const logits = tf.transpose(tf.tensor4d(row.input.logits, [b, c, h, w]), [0, 2, 3, 1]);
    const target = row.task === 'binary' ? tf.tensor4d(row.input.target, [b, h, w, 1]) : tf.tensor3d(row.input.target, [b, h, w], 'int32');
    const { value, grad } = tf.valueAndGrad((z: Tensor) => fn(z, target))(logits);
    // cpu only (this script's backend): dataSync is never used on webgpu.
    return { value: value.dataSync()[0], grad: Array.from(tf.transpose(grad, [0, 3, 1, 2]).dataSync()) };
  });
}

/**
 * Writes the generated PyTorch functions of every row to a temporary folder, runs them with python3 and torch on
 * the reference vectors' inputs, and compares value and logit gradient: with the reference's float64 figures for
 * its keys, and with the engine's (cpu) for every option of every loss. Prints "N matched, M failed".
 */
export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, {
    python: { type: 'string' },
    vectors: { type: 'string', default: DEFAULT_VECTORS },
    keep: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const candidates = parsed.values.python ? [parsed.values.python] : PYTHONS;
  const python = candidates.find((p) => imports(p, 'torch'));
  if (!python) {
    console.log(
      `No PyTorch: ${candidates.join(' and ')} cannot import torch, so nothing was checked. ` +
        'Install it (Debian: apt-get install python3-torch; elsewhere: pip install torch) or pass --python PATH.',
    );
    return 0;
  }
  let doc;
  try {
    doc = checkVectorFile(JSON.parse(await readFile(parsed.values.vectors, 'utf8')));
  } catch (e) {
    console.error(`${parsed.values.vectors}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }

  const reference = referenceRows(doc);
  await selectBackend({ loaders: nodeLoaders, requested: 'cpu', order: ['cpu'] });
  const refused = new Set<string>();
  const options = optionRows(torchInputs(doc)).flatMap((row) => {
    try {
      return [{ ...row, want: engineAnswer(row) }];
    } catch (e) {
      refused.add(`${row.label.slice(row.input.caseName.length + 1)} (${e instanceof Error ? e.message : String(e)})`);
      return [];
    }
  });
  const rows = [...reference, ...options];

  const dir = await mkdtemp(join(tmpdir(), 'torch-check-'));
  const modules = new Map<string, { module: string; fn: string }>();
  for (const row of rows) {
    const key = `${row.task} ${JSON.stringify(row.spec)}`;
    if (modules.has(key)) continue;
    const program = torchProgram(row.spec, row.task);
    const module = join(dir, `loss_${modules.size + 1}.py`);
    await writeFile(module, pySource(program));
    modules.set(key, { module, fn: program.entry });
  }
  const jobs: TorchJob[] = rows.map((row) => ({
    ...modules.get(`${row.task} ${JSON.stringify(row.spec)}`)!,
    task: row.task,
    shape: row.input.shape,
    labelShape: row.input.labelShape,
    logits: row.input.logits,
    target: row.input.target,
  }));
  await writeFile(join(dir, 'harness.py'), HARNESS);
  await writeFile(join(dir, 'jobs.json'), JSON.stringify(jobs));
  const run = spawnSync(python, [join(dir, 'harness.py'), join(dir, 'jobs.json'), join(dir, 'answers.json')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    console.error(`${python} stopped with exit code ${run.status} before answering (the files are in ${dir})`);
    return 1;
  }
  const answers = JSON.parse(await readFile(join(dir, 'answers.json'), 'utf8')) as TorchAnswer[];

  const tally = (from: number, to: number) => {
    let failed = 0;
    for (let i = from; i < to; i++) {
      const miss = answerMiss(answers[i], rows[i].want!);
      if (miss === undefined) continue;
      failed++;
      console.log(`FAIL ${rows[i].label}: ${miss} (${modules.get(`${rows[i].task} ${JSON.stringify(rows[i].spec)}`)!.module})`);
    }
    return { matched: to - from - failed, failed };
  };
  const ref = tally(0, reference.length);
  const opt = tally(reference.length, rows.length);
  const viaLibrary = reference.filter((r) => libraryCalls(r.spec, r.task).length > 0).length;
  const libraries = ['segmentation_models_pytorch', 'monai'].filter((m) => imports(python, m));
  const failed = ref.failed + opt.failed;
  const keep = parsed.values.keep || failed > 0;
  console.log(`${python}: ${run.stdout.trim()}; ${modules.size} generated files${keep ? ` kept in ${dir}` : ''}`);
  console.log(
    `reference vectors (ref.py, float64): ${ref.matched} matched, ${ref.failed} failed; ${viaLibrary} of these rows have an smp or MONAI ` +
      `call, checked through its plain PyTorch function${libraries.length ? '' : ' (smp and MONAI are not installed here)'}`,
  );
  console.log(`every option of every loss, against this engine on cpu: ${opt.matched} matched, ${opt.failed} failed`);
  if (refused.size) console.log(`not checked, the engine refuses them on these inputs: ${[...refused].join('; ')}`);
  console.log(`${ref.matched + opt.matched} matched, ${failed} failed`);
  if (!keep) await rm(dir, { recursive: true });
  return failed > 0 ? 1 : 0;
}

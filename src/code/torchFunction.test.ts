import { describe, expect, it } from 'vitest';
import { suggestedCombo } from '../losses/lesson';
import type { LossDefinition, Task } from '../losses/lossDefinition';
import { LOSSES, resolveLoss } from '../losses/registry';
import { optionVariants } from './optionVariants';
import { pyName } from './pySource';
import { hasTorchForm, torchProgram, torchSource } from './torchFunction';

/** Vectors and the page use three classes for multi-class losses. */
const CLASSES = 3;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What each loss's function must contain at its defaults, whatever the task. A loss of the registry with no entry
 * fails the test: write what its formula looks like in PyTorch.
 */
const LOSS_SNIPPETS: Record<string, (RegExp | string)[]> = {
  bce: ['F.binary_cross_entropy_with_logits(logits, target.to(logits.dtype))'],
  ce: ['F.cross_entropy(logits, labels, reduction="none")', 'weight.sum().clamp_min(1e-12)'],
  focal: [/F\.logsigmoid\(s \* logits\)|F\.log_softmax\(logits, dim=1\)/, /\*\* 2|torch\.exp\(2 \*/],
  softJaccard: ['den = sum_p + sum_y - inter', 'loss = 1 - score'],
  logJaccard: ['den = sum_p + sum_y - inter', 'loss = -torch.log(score.clamp_min(1e-7))'],
  softDice: ['num = 2 * inter', 'den = sum_p + sum_y', 'loss = 1 - score'],
  logDice: ['num = 2 * inter', 'loss = -torch.log(score.clamp_min(1e-7))'],
  tversky: ['den = inter + 0.3 * (sum_p - inter) + 0.7 * (sum_y - inter)', 'loss = 1 - score'],
  focalTversky: ['den = inter + 0.3 * (sum_p - inter) + 0.7 * (sum_y - inter)', 'loss = (1 - score).clamp_min(1e-7) ** 0.75'],
  generalizedDice: ['w = 1 / safe_y**2', 'w.amax(-1, keepdim=True)', 'return (1 - num / den).mean()'],
  lovaszHinge: ['def lovasz_grad(gt_sorted):', 'errors = 1 - z * (2 * y - 1)', 'F.relu(errors_sorted) * weights'],
  lovaszSoftmax: ['def lovasz_grad(gt_sorted):', '(fg - probs).abs() * valid', 'used = (fg.sum(-1).reshape(-1, C) > 0)'],
  combo: [/return \w+_loss\(logits, target\) \+ log_jaccard_loss\(logits, target\)/, 'def log_jaccard_loss(logits, target):'],
};

/**
 * What each option puts in the code, by the option's key and value (a key names the same idea in every loss that
 * has it). An option of the registry with no entry fails the test.
 */
const OPTION_SNIPPETS: Record<string, (value: unknown, task: Task) => RegExp | string> = {
  posWeight: (v) => `pos_weight = torch.tensor(${Number(v).toFixed(1)}`,
  weights: (v) => `torch.tensor([${(v as number[]).map((x) => x.toFixed(1)).join(', ')}]`,
  ignoreIndex: (v) => `!= ${v}`,
  gamma: (v) => (v === 0 ? 'γ = 0: cross-entropy' : new RegExp(`torch\\.exp\\(${v} \\*|\\*\\* ${v}\\b`)),
  alpha: (v, task) =>
    v === null
      ? /^(?![\s\S]*α_t)(?![\s\S]*torch\.full)/
      : new RegExp(
          `${esc(String(v))} \\* \\(sum_p - inter\\)|${task === 'binary' ? `${v} \\* y` : `torch\\.full\\(\\(num_classes,\\), ${v}`}`,
        ),
  beta: (v) => `${v} * (sum_y - inter)`,
  log: (v) => (v ? 'loss = -torch.log(' : 'loss = 1 - score'),
  activation: (v) => (v === 'sigmoid' ? 'One-vs-rest' : 'F.log_softmax(logits, dim=1)'),
  classReduce: (v) => (v === 'mean' ? '* num_classes)' : 'return per_pixel.sum() / valid.sum().clamp_min(1)'),
  aggregation: (v) =>
    v === 'batch'
      ? /dims = \(0, 1\)|z = logits\.reshape\(1, -1\)|t\.transpose\(0, 1\)\.reshape\(C, -1\)/
      : /dims = 1\n|z = logits\.flatten\(1\)|t\.reshape\(B \* C, -1\)/,
  empty: (v) =>
    v === 'keep' ? 'return loss.mean()' : v === 'skip' ? 'count = weight.sum().clamp_min(1)' : /count = weight\.numel\(\)|count = selected/,
  smooth: (v) => (v === 0 ? /num = [^\n+]*\n/ : new RegExp(`num = [^\\n]* \\+ ${esc(String(v))}\\n`)),
  smoothDen: (v) => new RegExp(`den = [^\\n]* \\+ ${esc(String(v))}\\n`),
  eps: (v) => (v === 0 ? 'score = num / den\n' : `den.clamp_min(${v})`),
  classes: (v) =>
    Array.isArray(v) ? `selected[[${v.join(', ')}]] = 1` : v === 'all' ? 'used = torch.ones_like(per_class)' : 'used = (fg.sum(-1)',
  includeBackground: (v) => (v ? /^(?![\s\S]*selected\[0\] = 0)/ : 'selected[0] = 0'),
  squaredPred: (v) => (v ? 'sum_p = (p * p).sum(dims)' : 'sum_p = p.sum(dims)'),
  weighting: (v) => ({ square: 'w = 1 / safe_y**2', simple: 'w = 1 / safe_y ', uniform: 'w = torch.ones_like(sum_y)' })[v as string] ?? '?',
};

/** Options the engine reads only on multi-class logits though they are not marked so (segView ignores them). */
const IDLE_ON_BINARY = new Set(['classes']);

/** The lines that run: no docstring, no comments, no blank lines. */
const code = (source: string) =>
  source
    .replace(/"""[\s\S]*?"""/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, ''))
    .filter((l) => l.trim())
    .join('\n');

const expectSnippet = (source: string, snippet: RegExp | string) =>
  typeof snippet === 'string' ? expect(source).toContain(snippet) : expect(source).toMatch(snippet);

/** Every option set of a loss, for each of its tasks; the first is its defaults (a combination: the suggested one). */
const cases = (def: LossDefinition) =>
  def.tasks.flatMap((task) => optionVariants(def, task, CLASSES).map((v, i) => ({ task, first: i === 0, ...v })));

describe('the PyTorch function of every loss', () => {
  it('exists for every loss of the registry', () => {
    for (const def of LOSSES) expect(hasTorchForm(def), def.id).toBe(true);
    for (const def of LOSSES) expect(Object.keys(LOSS_SNIPPETS), `no expected snippets for ${def.id}`).toContain(def.id);
    const keys = new Set(LOSSES.flatMap((d) => d.params.map((p) => p.key)));
    for (const key of keys) expect(Object.keys(OPTION_SNIPPETS), `no expected snippet for the option ${key}`).toContain(key);
  });

  for (const def of LOSSES) {
    it(`${def.id}: a self-contained function with its formula, for every task and option set`, () => {
      for (const { task, label, input, first } of cases(def)) {
        const source = torchSource(resolveLoss(input), task);
        const what = `${def.id} ${task} ${label}`;
        expect(source, what).toMatch(/^import torch\n/);
        expect(source, what).toContain(`def ${pyName(def.id)}(logits, target):`);
        expect(source, what).not.toMatch(/\t|undefined|\[object/);
        for (const [open, close] of ['()', '[]', '{}']) {
          expect(source.split(open).length, `${what}: ${open}${close} balanced`).toBe(source.split(close).length);
        }
        // Every function body line is indented by whole levels of four spaces.
        for (const line of source.split('\n'))
          expect(line.length - line.trimStart().length, `${what}: ${line}`).toSatisfy((n: number) => n % 4 === 0);
        if (first) for (const s of LOSS_SNIPPETS[def.id] ?? []) expectSnippet(source, s);
      }
    });

    it(`${def.id}: each option changes the code the way the option says`, () => {
      for (const task of def.tasks) {
        const base = code(torchSource(resolveLoss(optionVariants(def, task, CLASSES)[0].input), task));
        for (const v of optionVariants(def, task, CLASSES).filter((c) => c.field)) {
          const field = v.field!;
          const source = torchSource(resolveLoss(v.input), task);
          const what = `${def.id} ${task} ${v.label}`;
          if (task === 'binary' && IDLE_ON_BINARY.has(field.key)) continue;
          expectSnippet(source, OPTION_SNIPPETS[field.key](v.input[field.key], task));
          expect(code(source), `${what} changes no line that runs`).not.toBe(base);
        }
      }
    });
  }

  it('a combination adds its terms with their weights, and names two options of one loss apart', () => {
    const suggested = suggestedCombo('binary') as { id: string; terms: { weight: number; loss: { id: string } }[] };
    const weighted = { ...suggested, terms: suggested.terms.map((t, i) => ({ ...t, weight: [0.5, 2][i] })) };
    expect(torchSource(resolveLoss(weighted), 'binary')).toMatch(
      /return 0\.5 \* \w+_loss\(logits, target\) \+ 2 \* \w+_loss\(logits, target\)/,
    );
    const twice = { ...suggested, terms: [suggested.terms[1], { weight: 1, loss: { ...suggested.terms[1].loss, smooth: 1 } }] };
    const program = torchProgram(resolveLoss(twice), 'binary');
    const term = pyName(suggested.terms[1].loss.id);
    expect(program.defs.map((d) => d.name)).toEqual([term, `${term}_2`, pyName(suggested.id)]);
    expect(program.defs[1].text).toContain('num = inter + 1');
  });

  it('writes each helper once, before the functions that call it', () => {
    const lovasz = LOSSES.filter(
      (d) => d.tasks.length === 1 && torchSource(resolveLoss({ id: d.id }), d.tasks[0]).includes('lovasz_grad('),
    );
    expect(lovasz.length).toBeGreaterThan(1);
    const source = torchSource(resolveLoss({ id: lovasz[0].id }), lovasz[0].tasks[0]);
    expect(source.split('def lovasz_grad(').length).toBe(2);
    expect(source.indexOf('def lovasz_grad(')).toBeLessThan(source.indexOf(`def ${pyName(lovasz[0].id)}(`));
  });
});

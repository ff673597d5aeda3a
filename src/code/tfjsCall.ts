// This project's own loss from TypeScript: the input `lossFromInput` takes (only the options that differ from the
// defaults, as a config file would write them) and the lines that evaluate its value and gradient.
import type { LossInput, LossSpec, Task } from '../losses/lossDefinition';
import { lossInfo, resolveLoss } from '../losses/registry';

/** The spec without the options at their defaults, and without absent ones, inside combinations too. */
export function minimalInput(spec: LossSpec): LossInput {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    const rec = value as Record<string, unknown>;
    const def = typeof rec.id === 'string' ? lossInfo(rec.id) : undefined;
    // A loss resolved by its own rule (a combination) has no defaults to leave out at its own level.
    const defaults: Record<string, unknown> = def && !def.resolve ? resolveLoss({ id: def.id }) : {};
    return Object.fromEntries(
      Object.entries(rec)
        .filter(([k, v]) => v !== undefined && (k === 'id' || JSON.stringify(v) !== JSON.stringify(defaults[k])))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return strip(spec) as LossInput;
}

/** JSON as TypeScript writes an object literal: `{ id: 'logJaccard', aggregation: 'perImage' }`. */
export function tsLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value !== 'object' || value === null) return String(value);
  const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : tsLiteral(k)}: ${tsLiteral(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

const LAYOUT: Record<Task, string> = {
  binary: '// Binary: logits and targets [B, H, W, 1] (NHWC), targets 0 or 1.',
  multiclass: '// Multi-class: logits [B, H, W, C] (NHWC) and int32 labels [B, H, W].',
};

/** The TypeScript that evaluates this loss with the project's engine, and the same loss in a config file. */
export function tfjsCode(spec: LossSpec, task: Task): string {
  const input = minimalInput(spec);
  return [
    "import { tf, type Tensor } from './src/tf';",
    "import { lossFromInput } from './src/losses';",
    '',
    LAYOUT[task],
    `const loss = lossFromInput(${tsLiteral(input)});`,
    'const { value, grad } = tf.valueAndGrad((z: Tensor) => loss(z, targets))(logits);',
    '',
    '// The same loss in a config file for `npm run experiment`:',
    `// "losses": [${JSON.stringify(input)}]`,
  ].join('\n');
}

// A weighted sum of losses, e.g. CE + 1·(−log IoU). Its terms are losses of the registry, reached through `term`.
import type { Scalar } from '../tf';
import { LossConfigError } from './errors';
import type { LossDefinition, LossInput, LossSpec } from './lossDefinition';
import { toyResult, writeToy } from './toy';

interface ComboTerm {
  weight: number;
  loss: LossSpec;
}
type ComboSpec = { id: string; terms: ComboTerm[] };

export const combo: LossDefinition<ComboSpec> = {
  id: 'combo',
  name: 'Combination',
  family: 'combination',
  title: (spec, _task, nameOf) => ({
    name: spec.terms.map((t) => `${t.weight === 1 ? '' : `${t.weight} × `}${nameOf(t.loss)}`).join(' + '),
  }),
  tasks: ['binary', 'multiclass'],
  formula: String.raw`\sum_k \lambda_k\, \mathcal{L}_k`,
  params: [],
  about: 'A weighted sum, e.g. cross-entropy + −log IoU: the pixel loss keeps the gradient alive, the region loss aims at the metric.',
  build: (spec, kit, term) => {
    const terms = spec.terms.map((t) => ({ weight: t.weight, fn: term(t.loss) }));
    const { tf } = kit;
    return (logits, targets, maps) =>
      tf.tidy(() => terms.reduce<Scalar>((acc, t) => tf.add(acc, tf.mul(t.fn(logits, targets, maps), t.weight)), tf.scalar(0)));
  },
  toy: {
    separable: (spec, term) => spec.terms.every((t) => term(t.loss)),
    compile: (spec, term) => {
      const terms = spec.terms.map((t) => ({ weight: t.weight, fn: term(t.loss) }));
      const scratch = toyResult();
      return (t, out = toyResult()) => {
        writeToy(out, 0, 0, 0);
        for (const part of terms) {
          const r = part.fn(t, scratch);
          out.value += part.weight * r.value;
          out.gradFg += part.weight * r.gradFg;
          out.gradBg += part.weight * r.gradBg;
        }
        return out;
      };
    },
  },
  parts: (spec) => spec.terms.map((t, i) => ({ path: `.terms[${i}].loss`, loss: t.loss })),
  resolve: (input, path, term) => {
    const extra = Object.keys(input).filter((k) => k !== 'id' && k !== 'terms');
    if (extra.length) throw new LossConfigError(`${path}.${extra[0]}: unknown option for combo; options: terms`);
    const terms = input.terms;
    if (!Array.isArray(terms) || terms.length === 0) {
      throw new LossConfigError(`${path}.terms: expected a non-empty list of { "weight": number, "loss": {...} }`);
    }
    const resolved: ComboSpec = {
      id: input.id,
      terms: terms.map((t: unknown, i) => {
        const given = (typeof t === 'object' && t !== null ? t : {}) as { weight?: unknown; loss?: unknown };
        const w = given.weight ?? 1;
        if (typeof w !== 'number' || !Number.isFinite(w)) {
          throw new LossConfigError(`${path}.terms[${i}].weight: expected a finite number, got ${JSON.stringify(w)}`);
        }
        return { weight: w, loss: term(given.loss, `${path}.terms[${i}].loss`) };
      }),
    };
    return resolved;
  },
  // `combo(id*weight+id*weight)`: `+` also means a space in a query, so a link typed by hand may arrive with spaces.
  text: {
    encode: (spec) => spec.terms.map((t) => `${t.loss.id}*${t.weight}`).join('+'),
    decode: (body): LossInput => ({
      id: 'combo',
      terms: body
        .split(/[+\s]+/)
        .filter(Boolean)
        .map((t) => {
          const [id, w] = t.split('*');
          return { weight: w === undefined ? 1 : Number(w), loss: { id } };
        }),
    }),
  },
};

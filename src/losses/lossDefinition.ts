// What one loss file exports. Pure types and data: the page reads names, formulas, options and closed forms on
// the main thread, and the tfjs implementation receives tfjs through `kit`, so importing a loss file never
// loads tfjs.
import type { Task } from '../domain/task';
import type { Field, Infer } from '../schema/schema';
import type { Scalar, Tensor } from '../tf';
import type { LossFamilyId } from './lossFamily';
import type { LossKit } from './lossKit';
import type { LossTail } from './lossTail';
import type { ToyLossFn } from './toy';

export type { Task };

/**
 * Per-pixel maps a loss may read besides the targets, each [B, H, W, 1]: a weight map, or a signed distance to
 * the object boundary (boundary losses). The training step passes whatever the batch carries.
 */
export interface PixelMaps {
  weight?: Tensor;
  distance?: Tensor;
}

/**
 * Layouts: binary logits are NHWC with one channel ([B, H, W, 1]) and targets the same shape in {0, 1};
 * multi-class logits are [B, H, W, C] (C >= 2) and labels are int32 [B, H, W] in [0, C) or the ignore label.
 * The channel count of the logits decides which of the two a loss computes; `kit.segView` gives every loss the
 * same flattened view with one-hot targets.
 */
export type LossFn = (logits: Tensor, targets: Tensor, maps?: PixelMaps) => Scalar;

/** What the user (URL, config file, UI) writes: an id and any subset of that loss's options. */
export type LossInput = { id: string; [option: string]: unknown };

/** A loss with every option resolved. Each loss file knows the precise type of its own. */
export type LossSpec = { readonly id: string; readonly [option: string]: unknown };

/** The spec an option table describes. */
export type SpecOf<P extends readonly Field[]> = { id: string } & Infer<P>;

/** The loss's closed form on the analytic view's toy prediction (see ./toy). */
export interface ToyForm<S> {
  /** True when the value is a sum of per-pixel terms, g(p_fg) + h(p_bg): the surfaces then cost O(n), not O(n²). */
  separable(spec: S, term: (spec: LossSpec) => boolean): boolean;
  /** The analytic view's smoothing slider sets this loss's `smooth`. */
  smoothable?: boolean;
  compile(spec: S, term: (spec: LossSpec) => ToyLossFn): ToyLossFn;
}

/** A loss's name in a legend, and the options that name already says (a run's label does not repeat them). */
export interface LossTitle {
  name: string;
  covers?: readonly string[];
}

export interface LossDefinition<S extends LossSpec = LossSpec> {
  id: string;
  name: string;
  /** Its colour's family (lossFamily.ts). */
  family: LossFamilyId;
  /** The family of these options, where an option makes it another loss (Tversky with α = β = 0.5 is Dice). */
  familyOf?(spec: S): LossFamilyId;
  /**
   * Its name in a legend when that is not `name`: by task (−log mIoU), by option (Tversky with α = β = 0.5 is
   * 1 − Dice), or by parts (a combination names its terms through `nameOf`).
   */
  title?(spec: S, task: Task, nameOf: (spec: LossSpec) => string): LossTitle;
  /** TeX source of the definition, for rendering. */
  formula: string;
  tasks: readonly Task[];
  params: readonly Field[];
  /** When it helps, when it hurts: one or two sentences. */
  about: string;
  /** The differentiable function; tfjs comes in through `kit`, other losses (a combination's terms) through `term`. */
  build(spec: S, kit: LossKit, term: (spec: LossSpec) => LossFn): LossFn;
  /**
   * The loss on logits of `channels` channels (1: binary) as the WebGPU kernels of our own take it (lossTail.ts);
   * absent or null, those kernels cannot run it and a lockstep step on webgpu differentiates its tfjs graph.
   */
  tail?(spec: S, channels: number): LossTail | null;
  /** Absent: the loss is simply not offered in the analytic view. */
  toy?: ToyForm<S>;
  /** Option sets the closed-form-vs-tfjs test checks besides the defaults. */
  examples?: readonly { label: string; options: Record<string, unknown> }[];
  /** The reference-vector key this loss stands for, if any (src/reference/loss-vectors.json naming). */
  vectorKey?(key: string, task: Task, ignoreIndex: number): LossInput | undefined;
  /** Losses inside this one (a combination's terms) with their paths, for checks that walk every loss of a config. */
  parts?(spec: S): { path: string; loss: LossSpec }[];
  /** Resolution other than "fill and check `params`" (a combination's terms are losses). */
  resolve?(input: LossInput, path: string, term: (input: unknown, path: string) => LossSpec): S;
  /** A URL form other than `id(key:value;…)`: the text inside the parentheses and back. */
  text?: { encode(spec: S): string; decode(body: string): LossInput };
}

/** Types a loss file's definition from its option table (`params` written `as const`). */
export function defineLoss<const P extends readonly Field[]>(def: LossDefinition<SpecOf<P>> & { params: P }): LossDefinition<SpecOf<P>> {
  return def;
}

/** What one training step of one run produced. */
export interface StepRecord {
  step: number;
  loss: number;
  /** Global gradient norm ‖∂L/∂θ‖ before clipping. */
  gradNorm: number;
  /** Gradient norm of each layer (kernel and bias together). */
  layerNorms: number[];
  /** Mean |∂L/∂logit| over foreground (labelled) and background pixels of the batch. */
  logitGradFg: number;
  logitGradBg: number;
  /** Hard IoU of the batch: foreground IoU (binary) or mean over object classes. */
  trainIoU: number;
  /** Share of pixels predicted as foreground (any object class). */
  fgFraction: number;
}

/** What an evaluation on the validation set produced. */
export interface EvalRecord {
  step: number;
  /** Foreground IoU (binary) or mean IoU over the object classes, dataset level. */
  iou: number;
  /** Mean IoU over all classes, background included. */
  miou: number;
  /** Mean IoU without background (equals `iou`; named for the UI's selector). */
  miouNoBg: number;
  /** Foreground Dice (binary) or mean Dice over the object classes. */
  dice: number;
}

/**
 * Keeps every record up to a limit, then every 2nd, then every 4th, … and always the latest one: a race that
 * trains for hours holds at most `limit` records, each of them exactly as measured (never averaged).
 */
class Thinning {
  /** One record in `stride` is kept. */
  stride = 1;
  /** Records offered so far (the n-th is kept when n is a multiple of the stride, or while it is the latest). */
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly columns: () => unknown[][],
  ) {}

  push(values: readonly unknown[]): void {
    const columns = this.columns();
    // The latest record is kept even off the stride; the next one takes its place.
    if (this.seen > 0 && (this.seen - 1) % this.stride !== 0) for (const c of columns) c.pop();
    columns.forEach((c, i) => c.push(values[i]));
    this.seen++;
    if (columns[0].length > this.limit) this.halve(columns);
  }

  /** Doubles the stride: keeps the records whose number is a multiple of it, and the latest. */
  private halve(columns: unknown[][]) {
    // Index i holds record i·stride (the latest may sit off the stride): the even ones are on the new stride.
    const last = columns[0].length - 1;
    for (const c of columns) {
      let n = 0;
      for (let i = 0; i < c.length; i++) if (i % 2 === 0 || i === last) c[n++] = c[i];
      c.length = n;
    }
    this.stride *= 2;
  }

  get state(): { stride: number; seen: number } {
    return { stride: this.stride, seen: this.seen };
  }

  set state(s: { stride: number; seen: number }) {
    this.stride = s.stride;
    this.seen = s.seen;
  }
}

/** A run's series as plain data: what a checkpoint carries across engines. */
export interface RunHistoryState {
  step: number[];
  loss: number[];
  gradNorm: number[];
  layerNorms: number[][];
  logitGradFg: number[];
  logitGradBg: number[];
  trainIoU: number[];
  fgFraction: number[];
  val: { step: number[]; iou: number[]; miou: number[]; miouNoBg: number[]; dice: number[] };
  thinning: { steps: { stride: number; seen: number }; evals: { stride: number; seen: number } };
}

const STEP_COLUMNS = ['step', 'loss', 'gradNorm', 'layerNorms', 'logitGradFg', 'logitGradBg', 'trainIoU', 'fgFraction'] as const;
const EVAL_COLUMNS = ['step', 'iou', 'miou', 'miouNoBg', 'dice'] as const;

/**
 * The series of one run, column by column (cheap to append, easy to plot and to write as JSON/CSV). With a
 * `limit`, step and evaluation records are each thinned to at most that many (see Thinning).
 */
export class RunHistory {
  readonly step: number[] = [];
  readonly loss: number[] = [];
  readonly gradNorm: number[] = [];
  readonly layerNorms: number[][] = [];
  readonly logitGradFg: number[] = [];
  readonly logitGradBg: number[] = [];
  readonly trainIoU: number[] = [];
  readonly fgFraction: number[] = [];
  readonly val: { step: number[]; iou: number[]; miou: number[]; miouNoBg: number[]; dice: number[] } = {
    step: [],
    iou: [],
    miou: [],
    miouNoBg: [],
    dice: [],
  };
  private readonly steps: Thinning;
  private readonly evals: Thinning;

  constructor(limit = Infinity) {
    this.steps = new Thinning(limit, () => STEP_COLUMNS.map((k) => this[k] as unknown[]));
    this.evals = new Thinning(limit, () => EVAL_COLUMNS.map((k) => this.val[k]));
  }

  /** One step record in this many is kept (1 until the limit is reached). */
  get stepStride(): number {
    return this.steps.stride;
  }

  get evalStride(): number {
    return this.evals.stride;
  }

  push(r: StepRecord): void {
    this.steps.push(STEP_COLUMNS.map((k) => r[k]));
  }

  pushEval(r: EvalRecord): void {
    this.evals.push(EVAL_COLUMNS.map((k) => r[k]));
  }

  get state(): RunHistoryState {
    const copy = <T>(a: T[]) => a.slice();
    return {
      ...(Object.fromEntries(STEP_COLUMNS.map((k) => [k, copy(this[k] as unknown[])])) as Omit<RunHistoryState, 'val' | 'thinning'>),
      val: Object.fromEntries(EVAL_COLUMNS.map((k) => [k, copy(this.val[k])])) as RunHistoryState['val'],
      thinning: { steps: this.steps.state, evals: this.evals.state },
    };
  }

  static from(state: RunHistoryState, limit = Infinity): RunHistory {
    const h = new RunHistory(limit);
    for (const k of STEP_COLUMNS) (h[k] as unknown[]).push(...(state[k] as unknown[]));
    for (const k of EVAL_COLUMNS) h.val[k].push(...state.val[k]);
    h.steps.state = state.thinning.steps;
    h.evals.state = state.thinning.evals;
    return h;
  }
}

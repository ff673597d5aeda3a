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

/** The series of one run, column by column (cheap to append, easy to plot and to write as JSON/CSV). */
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

  push(r: StepRecord): void {
    this.step.push(r.step);
    this.loss.push(r.loss);
    this.gradNorm.push(r.gradNorm);
    this.layerNorms.push(r.layerNorms);
    this.logitGradFg.push(r.logitGradFg);
    this.logitGradBg.push(r.logitGradBg);
    this.trainIoU.push(r.trainIoU);
    this.fgFraction.push(r.fgFraction);
  }

  pushEval(r: EvalRecord): void {
    this.val.step.push(r.step);
    this.val.iou.push(r.iou);
    this.val.miou.push(r.miou);
    this.val.miouNoBg.push(r.miouNoBg);
    this.val.dice.push(r.dice);
  }
}

// The losses the explorer's lesson is built on: the default race, and the pair whose gradients the page
// compares. The page and the configs take them from here rather than naming losses themselves.
import { combo } from './combo';
import { bce, ce } from './crossEntropy';
import type { LossInput, Task } from './lossDefinition';
import { focal } from './focal';
import { lovaszHinge } from './lovasz';
import { logJaccard, softDice, softJaccard } from './region';

/** 1 − IoU: the loss whose gradient vanishes at a collapsed start. */
export const FLAT_LOSS = softJaccard.id;
/** −log IoU: the same optimum with a gradient divided by the IoU. */
export const CONDITIONED_LOSS = logJaccard.id;

/** The pixel-wise loss of a task: BCE for binary, cross-entropy for multi-class. */
export const pixelLoss = (task: Task): string => (task === 'binary' ? bce : ce).id;

/** The default race: 1 − IoU, −log IoU and the task's cross-entropy. */
export const defaultRace = (task: Task): LossInput[] => [{ id: FLAT_LOSS }, { id: CONDITIONED_LOSS }, { id: pixelLoss(task) }];

/** The combination the loss list offers: the pixel loss keeps the gradient alive, −log IoU aims at the metric. */
export const suggestedCombo = (task: Task): LossInput => ({
  id: combo.id,
  terms: [
    { weight: 1, loss: { id: pixelLoss(task) } },
    { weight: 1, loss: { id: CONDITIONED_LOSS } },
  ],
});

/** A binary race for a GPU, which can afford six losses: the default race, Dice, focal loss and Lovász hinge. */
export const gpuRace = (): LossInput[] => [...defaultRace('binary'), { id: softDice.id }, { id: focal.id }, { id: lovaszHinge.id }];

import type { LossInput, Task } from './lossDefinition';

/**
 * Library defaults written as this project's losses, so a user can see what their library computes. Keys are
 * the names the reference vectors use. MONAI's (2I + s)/(2U + s) Jaccard is written as (I + s/2)/(U + s/2).
 */
export interface LossPreset {
  key: string;
  library: 'smp' | 'monai';
  task: Task;
  loss: LossInput;
  note: string;
}

const MONAI_SMOOTH = 1e-5;
const monaiRegion = { empty: 'keep', smooth: MONAI_SMOOTH, eps: 0, aggregation: 'perImage' } as const;
const monaiJaccard = { ...monaiRegion, smooth: MONAI_SMOOTH / 2 } as const;
const smpDice = { id: 'tversky', alpha: 0.5, beta: 0.5 } as const;
const SMP_DICE_NOTE = 'smp ≥ 0.4 computes Dice as Tversky(0.5, 0.5): the smoothing counts double compared with smp ≤ 0.3.';

export const PRESETS: readonly LossPreset[] = [
  {
    key: 'smp.JaccardLoss(binary)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'softJaccard' },
    note: 'One ratio over the whole batch; an empty batch adds 0.',
  },
  {
    key: 'smp.JaccardLoss(binary,log_loss=True)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'logJaccard' },
    note: '−log IoU with the eps clamp.',
  },
  { key: 'smp.DiceLoss(binary)', library: 'smp', task: 'binary', loss: { ...smpDice }, note: SMP_DICE_NOTE },
  { key: 'smp.DiceLoss(binary,log_loss=True)', library: 'smp', task: 'binary', loss: { ...smpDice, log: true }, note: SMP_DICE_NOTE },
  { key: 'smp>=0.4.DiceLoss(binary,smooth=1)', library: 'smp', task: 'binary', loss: { ...smpDice, smooth: 1 }, note: SMP_DICE_NOTE },
  {
    key: 'smp<=0.3.DiceLoss(binary,smooth=1)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'softDice', smooth: 1 },
    note: 'The Dice of smp up to 0.3: (2I + s)/(Sp + Sy + s).',
  },
  {
    key: 'smp.TverskyLoss(binary,alpha=0.3,beta=0.7,gamma=1)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'tversky', alpha: 0.3, beta: 0.7 },
    note: 'Batch ratio, empty batch adds 0.',
  },
  { key: 'smp.FocalLoss(binary)', library: 'smp', task: 'binary', loss: { id: 'focal', gamma: 2 }, note: 'γ = 2, no α.' },
  {
    key: 'smp.LovaszLoss(binary,per_image=False)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'lovaszHinge', aggregation: 'batch' },
    note: 'smp ranks the whole batch at once by default.',
  },
  {
    key: 'smp.LovaszLoss(binary,per_image=True)',
    library: 'smp',
    task: 'binary',
    loss: { id: 'lovaszHinge', aggregation: 'perImage' },
    note: 'Berman’s default: one ranking per image.',
  },
  { key: 'smp.SoftBCEWithLogitsLoss', library: 'smp', task: 'binary', loss: { id: 'bce' }, note: 'Plain BCE with logits.' },
  {
    key: 'monai.DiceLoss(sigmoid=True)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'softDice', ...monaiRegion },
    note: 'One Dice per image, smooth 1e-5 on both sides, no clamp; an empty image is computed as is.',
  },
  {
    key: 'monai.DiceLoss(sigmoid=True,batch=True)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'softDice', ...monaiRegion, aggregation: 'batch' },
    note: 'One Dice over the batch.',
  },
  {
    key: 'monai.DiceLoss(sigmoid=True,jaccard=True)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'softJaccard', ...monaiJaccard },
    note: 'MONAI’s Jaccard: (2I + 1e-5)/(2U + 1e-5) per image.',
  },
  {
    key: 'monai.DiceLoss(sigmoid=True,jaccard=True,batch=True)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'softJaccard', ...monaiJaccard, aggregation: 'batch' },
    note: 'MONAI’s Jaccard over the batch.',
  },
  {
    key: 'monai.DiceLoss(sigmoid=True,squared_pred=True)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'softDice', ...monaiRegion, squaredPred: true },
    note: 'V-Net Dice: Σp² in the denominator.',
  },
  {
    key: 'monai.TverskyLoss(sigmoid=True,alpha=0.3,beta=0.7)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'tversky', alpha: 0.3, beta: 0.7, ...monaiRegion },
    note: 'Per image, smooth 1e-5, no clamp.',
  },
  {
    key: 'monai.FocalLoss(gamma=2)',
    library: 'monai',
    task: 'binary',
    loss: { id: 'focal', gamma: 2 },
    note: 'Sigmoid focal, mean over pixels.',
  },
  {
    key: 'monai.DiceCELoss(sigmoid=True)',
    library: 'monai',
    task: 'binary',
    loss: {
      id: 'combo',
      terms: [
        { weight: 1, loss: { id: 'softDice', ...monaiRegion } },
        { weight: 1, loss: { id: 'bce' } },
      ],
    },
    note: 'MONAI Dice (per image) + BCE.',
  },

  {
    key: 'smp.JaccardLoss(multiclass)',
    library: 'smp',
    task: 'multiclass',
    loss: { id: 'softJaccard' },
    note: 'One ratio per class over the batch; absent classes add 0 and count.',
  },
  {
    key: 'smp.JaccardLoss(multiclass,log_loss=True)',
    library: 'smp',
    task: 'multiclass',
    loss: { id: 'logJaccard' },
    note: '−log IoU per class.',
  },
  { key: 'smp.DiceLoss(multiclass)', library: 'smp', task: 'multiclass', loss: { ...smpDice }, note: SMP_DICE_NOTE },
  {
    key: 'smp.DiceLoss(multiclass,classes=[1,2])',
    library: 'smp',
    task: 'multiclass',
    loss: { ...smpDice, classes: [1, 2] },
    note: 'Only classes 1 and 2 enter the mean.',
  },
  {
    key: 'smp.DiceLoss(multiclass,ignore_index=255)',
    library: 'smp',
    task: 'multiclass',
    loss: { ...smpDice, ignoreIndex: 255 },
    note: 'Pixels labelled 255 are removed from p and y.',
  },
  {
    key: 'smp.FocalLoss(multiclass) [v0.5.0: sum over classes]',
    library: 'smp',
    task: 'multiclass',
    loss: { id: 'focal', gamma: 2, activation: 'sigmoid', classReduce: 'sum' },
    note: 'One-vs-rest sigmoid focal on the raw logits, summed over classes (smp ≤ 0.5.0).',
  },
  {
    key: 'smp.LovaszLoss(multiclass,ignore_index=255)',
    library: 'smp',
    task: 'multiclass',
    loss: { id: 'lovaszSoftmax', classes: 'present', aggregation: 'batch', ignoreIndex: 255 },
    note: 'Lovász-Softmax over present classes.',
  },
  {
    key: 'monai.DiceLoss(softmax,to_onehot_y)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'softDice', ...monaiRegion },
    note: 'Per (image, class), smooth 1e-5, no masking of absent classes.',
  },
  {
    key: 'monai.DiceLoss(softmax,to_onehot_y,include_background=False)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'softDice', ...monaiRegion, includeBackground: false },
    note: 'Class 0 left out.',
  },
  {
    key: 'monai.DiceLoss(softmax,to_onehot_y,batch=True)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'softDice', ...monaiRegion, aggregation: 'batch' },
    note: 'Per class over the batch.',
  },
  {
    key: 'monai.DiceLoss(softmax,to_onehot_y,jaccard=True)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'softJaccard', ...monaiJaccard },
    note: 'MONAI’s Jaccard per (image, class).',
  },
  {
    key: 'monai.GeneralizedDiceLoss(softmax,to_onehot_y)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'generalizedDice', weighting: 'square', aggregation: 'perImage', smooth: MONAI_SMOOTH },
    note: 'w_c = 1/(Σy_c)².',
  },
  {
    key: 'monai.DiceCELoss(softmax,to_onehot_y)',
    library: 'monai',
    task: 'multiclass',
    loss: {
      id: 'combo',
      terms: [
        { weight: 1, loss: { id: 'softDice', ...monaiRegion } },
        { weight: 1, loss: { id: 'ce' } },
      ],
    },
    note: 'MONAI Dice (per image and class) + CE.',
  },
  {
    key: 'monai.FocalLoss(to_onehot_y,use_softmax=True)',
    library: 'monai',
    task: 'multiclass',
    loss: { id: 'focal', gamma: 2, activation: 'softmax', classReduce: 'mean' },
    note: 'Softmax focal, mean over the one-hot tensor (÷C).',
  },
];

export function findPreset(key: string, task: Task): LossPreset | undefined {
  return PRESETS.find((p) => p.key === key && p.task === task);
}

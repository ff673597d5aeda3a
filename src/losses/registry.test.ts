import { describe, expect, it } from 'vitest';
import { LOSSES, LossConfigError, PRESETS, resolveLoss } from '.';

describe('loss registry', () => {
  it('lists every loss of the contract with a formula, parameters and advice', () => {
    const ids = LOSSES.map((l) => l.id);
    for (const id of [
      'bce',
      'ce',
      'focal',
      'softJaccard',
      'logJaccard',
      'softDice',
      'logDice',
      'tversky',
      'lovaszHinge',
      'lovaszSoftmax',
      'combo',
    ]) {
      expect(ids).toContain(id);
    }
    for (const l of LOSSES) {
      expect(l.formula.length).toBeGreaterThan(5);
      expect(l.about.length).toBeGreaterThan(30);
      for (const p of l.params) expect(p.help.length).toBeGreaterThan(5);
    }
  });

  it('fills defaults', () => {
    expect(resolveLoss({ id: 'logJaccard' })).toEqual({
      id: 'logJaccard',
      aggregation: 'batch',
      empty: 'zero',
      smooth: 0,
      eps: 1e-7,
      includeBackground: true,
      ignoreIndex: 255,
    });
    expect(resolveLoss({ id: 'focal' })).toMatchObject({ gamma: 2, alpha: null, activation: 'softmax', classReduce: 'sum' });
  });

  it('names the field of a bad option', () => {
    expect(() => resolveLoss({ id: 'focal', gamma: -1 }, 'losses[2]')).toThrow(
      new LossConfigError('losses[2].gamma: expected a number in [0, 10], got -1'),
    );
    expect(() => resolveLoss({ id: 'softJaccard', aggregation: 'mean' })).toThrow(
      /loss\.aggregation: expected one of 'batch', 'perImage', got "mean"/,
    );
    expect(() => resolveLoss({ id: 'bce', gamma: 2 })).toThrow(/loss\.gamma: unknown option for bce; options: posWeight/);
    expect(() => resolveLoss({ id: 'iou' })).toThrow(/loss\.id: unknown loss 'iou'/);
    expect(() => resolveLoss({ id: 'combo', terms: [{ weight: 1, loss: { id: 'ce', weights: [] } }] })).toThrow(
      /loss\.terms\[0\]\.loss\.weights: expected a non-empty list/,
    );
  });

  it('resolves every library preset', () => {
    for (const p of PRESETS) expect(() => resolveLoss(p.loss, p.key)).not.toThrow();
  });
});

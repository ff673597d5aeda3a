import { describe, expect, it } from 'vitest';
import { suggestedCombo } from '../losses/lesson';
import { LOSSES, resolveLoss } from '../losses/registry';
import { PRESETS } from '../losses/presets';
import { libraryCalls, nearCalls, presetCode } from './libraryCall';
import { optionVariants } from './optionVariants';
import { takeHome, zooInput } from './takeHome';
import { minimalInput, tfjsCode } from './tfjsCall';

describe('the library call', () => {
  it('writes every preset as a Python call, and finds it again from the preset’s own loss', () => {
    for (const p of PRESETS) {
      const code = presetCode(p);
      expect(code, p.key).toBeDefined();
      expect(code, p.key).toMatch(
        p.library === 'smp' ? /^import segmentation_models_pytorch as smp\n/ : /^from monai\.losses import \w+\n/,
      );
      expect(code, p.key).toContain(`# ${p.note}`);
      expect(code, p.key).toMatch(/\nloss_fn = [\w.]+\(.*\)\nloss = loss_fn\(logits, target/);
      expect(
        libraryCalls(resolveLoss(p.loss), p.task).map((c) => c.presets[0].key),
        p.key,
      ).toContain(p.key);
    }
  });

  it('spells the arguments as the libraries take them', () => {
    const code = (key: string) => presetCode(PRESETS.find((p) => p.key === key)!)!;
    expect(code('smp.JaccardLoss(binary,log_loss=True)')).toContain('loss_fn = smp.losses.JaccardLoss(mode="binary", log_loss=True)');
    expect(code('smp.DiceLoss(multiclass,classes=[1,2])')).toContain('smp.losses.DiceLoss(mode="multiclass", classes=[1, 2])');
    expect(code('smp>=0.4.DiceLoss(binary,smooth=1)')).toContain('# segmentation_models_pytorch >= 0.4');
    expect(code('smp.SoftBCEWithLogitsLoss')).toContain('loss_fn = smp.losses.SoftBCEWithLogitsLoss()');
    expect(code('monai.DiceLoss(sigmoid=True,batch=True)')).toContain('loss_fn = DiceLoss(sigmoid=True, batch=True)');
    const onehot = code('monai.DiceLoss(softmax,to_onehot_y)');
    expect(onehot).toContain('loss_fn = DiceLoss(softmax=True, to_onehot_y=True)');
    expect(onehot).toContain('loss = loss_fn(logits, target.unsqueeze(1))');
  });

  it('has an exact call for the library defaults and names what differs otherwise', () => {
    const smpJaccard = PRESETS.find((p) => p.key === 'smp.JaccardLoss(binary)')!;
    expect(libraryCalls(resolveLoss({ id: smpJaccard.loss.id }), 'binary').map((c) => c.presets[0].key)).toEqual([smpJaccard.key]);
    // An option that means nothing for the task does not break the match.
    const focal = PRESETS.find((p) => p.key === 'smp.FocalLoss(binary)')!;
    expect(libraryCalls(resolveLoss({ ...focal.loss, activation: 'sigmoid' }), 'binary').map((c) => c.presets[0].key)).toContain(focal.key);

    const perImage = resolveLoss({ id: smpJaccard.loss.id, aggregation: 'perImage', empty: 'skip' });
    expect(libraryCalls(perImage, 'binary')).toEqual([]);
    const near = nearCalls(perImage, 'binary').find((n) => n.presets[0].key === smpJaccard.key)!;
    expect(near.differences.map((d) => d.label)).toEqual(['aggregation', 'empty groups']);
    expect(near.differences[0]).toMatchObject({ library: 'batch', yours: 'perImage' });
    expect(nearCalls(resolveLoss({ id: smpJaccard.loss.id }), 'binary')).toEqual([]);
  });
  it('writes a combination whose terms all have library calls as the weighted sum of those calls', () => {
    const suggested = suggestedCombo('binary') as { id: string; terms: { weight: number; loss: { id: string } }[] };
    const terms = suggested.terms.map((t) => libraryCalls(resolveLoss(t.loss), 'binary')[0]);
    expect(terms.every(Boolean)).toBe(true);
    const [call] = libraryCalls(
      resolveLoss({ ...suggested, terms: [{ ...suggested.terms[0], weight: 0.5 }, suggested.terms[1]] }),
      'binary',
    );
    expect(call.presets).toEqual(terms.map((t) => t.presets[0]));
    // One import for both terms, each term made once, then the weighted sum.
    expect(call.code.match(/^import segmentation_models_pytorch as smp$/gm)).toHaveLength(1);
    for (const t of terms)
      expect(call.code).toContain(
        t.code
          .split('\n')
          .find((l) => l.startsWith('loss_fn = '))!
          .slice('loss_fn = '.length),
      );
    expect(call.code).toMatch(/\nloss = 0\.5 \* \w+\(logits, target\) \+ \w+\(logits, target\)$/);
    // A term without a library call (cross-entropy has no preset here) leaves the combination without one.
    const ceTerm = suggestedCombo('multiclass') as typeof suggested;
    expect(ceTerm.terms.some((t) => libraryCalls(resolveLoss(t.loss), 'multiclass').length === 0)).toBe(true);
    expect(libraryCalls(resolveLoss(ceTerm), 'multiclass')).toEqual([]);
  });
});

describe('the tfjs call', () => {
  it('writes only what differs from the defaults, and reads back as the same loss', () => {
    for (const def of LOSSES) {
      for (const task of def.tasks) {
        for (const v of optionVariants(def, task, 3)) {
          const spec = resolveLoss(v.input);
          expect(resolveLoss(minimalInput(spec)), `${def.id} ${v.label}`).toEqual(spec);
          expect(tfjsCode(spec, task), `${def.id} ${v.label}`).toContain(`lossFromInput({ id: '${def.id}'`);
        }
      }
    }
    for (const def of LOSSES.filter((d) => !d.parts)) expect(minimalInput(resolveLoss({ id: def.id }))).toEqual({ id: def.id });
    expect(minimalInput(resolveLoss(suggestedCombo('binary')))).toEqual(suggestedCombo('binary'));
  });

  it('shows the layout, the gradient and the config-file form', () => {
    const code = tfjsCode(resolveLoss({ id: LOSSES[0].id, [LOSSES[0].params[0].key]: 5 }), 'binary');
    expect(code).toContain("import { lossFromInput } from './src/losses';");
    expect(code).toContain(`lossFromInput({ id: '${LOSSES[0].id}', ${LOSSES[0].params[0].key}: 5 })`);
    expect(code).toContain('tf.valueAndGrad((z: Tensor) => loss(z, targets))(logits)');
    expect(code).toContain(`// "losses": [{"id":"${LOSSES[0].id}","${LOSSES[0].params[0].key}":5}]`);
  });
});

describe('everything to take home', () => {
  it('gives the zoo a loss for every definition and task, with a function and a tfjs call', () => {
    for (const def of LOSSES) {
      for (const task of def.tasks) {
        const code = takeHome(resolveLoss(zooInput(def, task)), task);
        expect(code.torch, def.id).toContain('def ');
        expect(code.tfjs, def.id).toContain('lossFromInput');
      }
    }
  });

  it('shows the zoo every preset of a plain loss: as its exact call, or as a near one where none is exact', () => {
    for (const p of PRESETS.filter((q) => !LOSSES.find((d) => d.id === q.loss.id)!.parts)) {
      const code = takeHome(
        resolveLoss(
          zooInput(
            LOSSES.find((d) => d.id === p.loss.id)!,
            p.task,
          ),
        ),
        p.task,
      );
      const shown = (code.library.length ? code.library : code.near).map((c) => c.presets[0].key);
      if (!code.library.length) expect(shown, p.key).toContain(p.key);
      else expect(shown.length, p.key).toBeGreaterThan(0);
    }
  });
});

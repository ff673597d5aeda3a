import { describe, expect, it } from 'vitest';
import type { LossSpec } from '../src/losses/lossDefinition';
import { resolveLoss } from '../src/losses/registry';
import { defaultState, URL_SECTIONS, urlName } from './state';
import { encodeUrlState, OWN_PARAMS, parseUrlState } from './urlState';
import { FIGURES, VIEW_SECTIONS, VIEWS } from './views/registry';

describe('URL state', () => {
  it('round-trips every kind of setting', () => {
    const state = defaultState();
    state.view = 'reference';
    state.experiment.seed = 42;
    state.experiment.data.shape = 'bars';
    state.experiment.data.foreground = 0.02;
    state.experiment.model.outputPrior = 3e-4;
    state.experiment.optimizer = { ...state.experiment.optimizer, name: 'adam', lr: 0.01, clipNorm: 1 };
    state.experiment.losses = [
      resolveLoss({ id: 'logJaccard', aggregation: 'perImage', empty: 'skip' }),
      resolveLoss({ id: 'tversky', alpha: 0.2, beta: 0.8, log: true }),
      resolveLoss({
        id: 'combo',
        terms: [
          { weight: 1, loss: { id: 'bce' } },
          { weight: 0.5, loss: { id: 'logJaccard' } },
        ],
      }),
    ];
    state.ui = { stepsPerSecond: 90, lossScale: 'raw', grad: 'logit', iou: 'miou', landscapeLog: true };
    state.landscape = { step: 120, grid: 21, dirs: 'pca', seed: 7, images: 32, path: 31, runs: [0, 2] };
    state.surface = {
      pixels: 400,
      foreground: 0.05,
      pFg: 0.01,
      pBg: 0.002,
      smooth: 1,
      logLog: false,
      losses: [resolveLoss({ id: 'ce' }), resolveLoss({ id: 'lovaszHinge' })],
    };
    const search = encodeUrlState(state);
    expect(search).toContain('v=3');
    const back = parseUrlState(search);
    expect(back.corrections).toEqual([]);
    expect(back.state).toEqual(state);
  });

  it('reads a v=1 link’s speed (steps per 60 Hz frame) as steps per second, and an empty speed as no cap', () => {
    expect(parseUrlState('?v=1&speed=9')).toMatchObject({ state: { ui: { stepsPerSecond: 540 } }, corrections: [] });
    expect(parseUrlState('?speed=2').state.ui.stepsPerSecond).toBe(120);
    expect(parseUrlState('?v=2&speed=2')).toMatchObject({
      state: { ui: { stepsPerSecond: 240 } },
      corrections: ['speed is the old (v=1) speed setting; use sps (steps per second)'],
    });
    expect(parseUrlState('?sps=off')).toMatchObject({ state: { ui: { stepsPerSecond: null } }, corrections: [] });
    expect(encodeUrlState({ ...defaultState(), ui: { ...defaultState().ui, stepsPerSecond: null } })).toContain('sps=off');
  });

  it('reads the landscape’s settings, and corrects bad ones with a message', () => {
    const { state, corrections } = parseUrlState('?view=landscape&lstep=off&lgrid=99&ldirs=sideways&lseed=3&lruns=1|9');
    expect(state.view).toBe('landscape');
    expect(state.landscape).toMatchObject({ step: null, grid: 51, dirs: 'random', seed: 3, runs: [1, 5] });
    expect(corrections).toEqual([
      'lgrid=99 is outside [3, 51] or not whole; using 51',
      'ldirs=sideways is not one of random, pca; using random',
      'lruns=1|9 has values outside [0, 5]; using 1|5',
    ]);
  });

  it('the default state is a short URL', () => {
    expect(encodeUrlState(defaultState())).toBe('?v=3&l=softJaccard&l=logJaccard&l=bce');
  });

  it('a page without settings opens on the collapsed start; v=3 links are read on top of it', () => {
    const { experiment } = parseUrlState('').state;
    expect(experiment.model.outputPrior).toBe(1e-4);
    expect(experiment.optimizer).toMatchObject({ name: 'sgd', momentum: 0.9, clipNorm: 1 });
    expect(experiment.losses.map((l) => l.id)).toEqual(['softJaccard', 'logJaccard', 'bce']);
    expect(parseUrlState('?v=3&lr=0.05').state.experiment).toMatchObject({
      model: { outputPrior: 1e-4 },
      optimizer: { lr: 0.05, clipNorm: 1 },
    });
    // Explicit settings win, and a multi-class link gets the multi-class losses.
    const multi = parseUrlState('?v=3&classes=3&clip=off&prior=0.5').state.experiment;
    expect(multi.optimizer.clipNorm).toBeNull();
    expect(multi.model.outputPrior).toBe(0.5);
    expect(multi.losses.map((l) => l.id)).toEqual(['softJaccard', 'logJaccard', 'ce']);
    const back = parseUrlState(encodeUrlState({ ...defaultState(), experiment: multi }));
    expect(back.state.experiment).toEqual(multi);
  });

  it('old links keep their meaning: v=2 and v=1 settings left out are the schema defaults (prior 0.5, no clipping)', () => {
    for (const v of ['1', '2']) {
      const { state, corrections } = parseUrlState(`?v=${v}&lr=0.05&l=bce`);
      expect(corrections).toEqual([]);
      expect(state.experiment).toMatchObject({ model: { outputPrior: 0.5 }, optimizer: { lr: 0.05, clipNorm: null } });
    }
    // The README's collapsed-start link of version 2.
    const readme = parseUrlState('?v=2&prior=0.0003&clip=1&l=softJaccard&l=logJaccard&l=bce').state.experiment;
    expect(readme).toMatchObject({ model: { outputPrior: 3e-4 }, optimizer: { clipNorm: 1 } });
    // Written again, it is a v=3 link that opens the same race.
    expect(parseUrlState(encodeUrlState({ ...defaultState(), experiment: readme })).state.experiment).toEqual(readme);
  });

  it('the tour’s chapter is a slug or a number; anything else opens the first chapter with a notice', () => {
    expect(parseUrlState('?view=tour&ch=collapse').state).toMatchObject({ view: 'tour', chapter: 'collapse' });
    expect(parseUrlState('?view=tour&ch=4').state.chapter).toBe('landscape');
    const bad = parseUrlState('?view=tour&ch=<b>x</b>');
    expect(bad.state.chapter).toBe('no-slope');
    expect(bad.corrections).toEqual([expect.stringMatching(/^ch=<b>x<\/b> is not a chapter of the tour/)]);
    expect(encodeUrlState({ ...defaultState(), view: 'tour', chapter: 'adam' })).toMatch(/^\?v=3&view=tour&ch=adam&/);
    expect(encodeUrlState(defaultState())).not.toContain('ch=');
  });

  it('corrects each bad parameter on its own, keeps the rest, and lists every correction', () => {
    const { state, corrections } = parseUrlState(
      '?v=1&lr=500&shape=stars&width=9.6&seed=abc&prior=0.001&l=bce&l=iou&l=focal(gamma:x)&zoom=3',
    );
    expect(state.experiment.optimizer.lr).toBe(100);
    expect(state.experiment.data.shape).toBe('disks');
    expect(state.experiment.model.width).toBe(10);
    expect(state.experiment.seed).toBe(1);
    expect(state.experiment.model.outputPrior).toBe(0.001);
    expect(state.experiment.losses.map((l) => l.id)).toEqual(['bce', 'focal']);
    expect(corrections).toEqual([
      'seed=abc is not an integer in [0, 2147483647]; using 1',
      'shape=stars is not one of disks, squares, bars, mixed; using disks',
      'width=9.6 is outside [4, 32] or not whole; using 10',
      'lr=500 is outside [0.00001, 100]; using 100',
      'zoom is not a setting; ignored',
      'l=iou is not a known loss; dropped',
      'l=focal gamma=x is not a number in [0, 10]; using 2',
    ]);
  });

  it('never throws on random query strings, and lists something for every bad one', () => {
    const keys = ['lr', 'l', 'shape', 'size', 'clip', 'classes', 'view', 'speed', 'batch', 'train', 'prior', 'v', '%%', ''];
    const values = [
      '',
      'x',
      '-1',
      '1e309',
      'NaN',
      '0.5',
      '3',
      'bce',
      'combo(bce*x+ce)',
      'lovaszSoftmax',
      'tversky(alpha:2)',
      '%E0%A4%A',
      '((',
      'off',
    ];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const q = Array.from({ length: 1 + rand(6) }, () => `${keys[rand(keys.length)]}=${values[rand(values.length)]}`).join('&');
      const parsed = parseUrlState(`?${q}`);
      expect(parsed.state.experiment.losses.length).toBeGreaterThan(0);
      expect(parseUrlState(encodeUrlState(parsed.state)).corrections).toEqual([]);
    }
  });
});

describe('links that arrive broken', () => {
  it('a broken %-escape costs only its own parameter', () => {
    for (const bad of ['view=%', 'x=%ZZ', 'l=%E0%A4%A']) {
      const { state, corrections } = parseUrlState(`?lr=0.5&${bad}&seed=3`);
      expect(state.experiment.optimizer.lr).toBe(0.5);
      expect(state.experiment.seed).toBe(3);
      expect(corrections).toHaveLength(1);
      expect(corrections[0]).toMatch(/broken %-escape.*ignored/);
    }
  });

  it('reads only the first 8 kB of a long query and says how much it ignored', () => {
    const search = `?seed=5&${Array.from({ length: 10_000 }, () => 'l=bce').join('&')}&lr=0.5`;
    const { state, corrections } = parseUrlState(search);
    expect(state.experiment.seed).toBe(5);
    expect(state.experiment.optimizer.lr).toBe(0.1);
    expect(state.experiment.losses).toHaveLength(6);
    expect(corrections[0]).toMatch(
      /^the address holds 60,0\d\d characters of settings; only the first 8 kB were read \(8,6\d\d parameters ignored\)$/,
    );
  });

  it('accepts combo terms joined by a typed + (a space once decoded) and by %2B', () => {
    for (const search of ['?l=combo(bce*1+logJaccard*0.5)', '?l=combo(bce*1%2BlogJaccard*0.5)']) {
      const { state, corrections } = parseUrlState(search);
      expect(corrections).toEqual([]);
      const spec = state.experiment.losses[0];
      expect((spec.terms as { weight: number; loss: LossSpec }[]).map((t) => [t.loss.id, t.weight])).toEqual([
        ['bce', 1],
        ['logJaccard', 0.5],
      ]);
    }
  });
});

describe('corrections quote bad values briefly', () => {
  it('a 5 000-character value is quoted in at most a few dozen characters', () => {
    const { corrections } = parseUrlState(`?l=${'x'.repeat(5000)}&lr=${'9'.repeat(5000)}`);
    // The unknown loss, the default race in its place, and the learning rate clamped.
    expect(corrections).toHaveLength(3);
    for (const c of corrections) expect(c.length).toBeLessThan(120);
  });
});

describe('the view registry in the address', () => {
  it('every view opens from its link and is written back the same', () => {
    for (const v of VIEWS) {
      const { state, corrections } = parseUrlState(`?view=${v.id}`);
      expect(corrections, v.id).toEqual([]);
      expect(state.view, v.id).toBe(v.id);
      expect(parseUrlState(encodeUrlState(state)).state, v.id).toEqual(state);
    }
  });

  it('every embeddable figure opens the view it belongs to', () => {
    for (const f of FIGURES) {
      const { state, corrections } = parseUrlState(`?embed=1&fig=${f.id}`);
      expect(corrections, f.id).toEqual([]);
      expect(state.view, f.id).toBe(f.view);
    }
  });

  it('no two settings of any section, nor a view’s losses, share a name in the address', () => {
    const names = [
      ...Object.values(URL_SECTIONS).flatMap((fields) => fields.map(urlName)),
      ...VIEW_SECTIONS.flatMap((s) => (s.losses ? [s.losses.param] : [])),
      ...OWN_PARAMS,
    ];
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('the data source in the address', () => {
  it.each(['local:nuclei tiles', 'https://course.example/data/cells.json?v=2', './examples/cells.json'])(
    'carries data=%s there and back',
    (source) => {
      const state = defaultState();
      state.experiment.data.source = source;
      const search = encodeUrlState(state);
      expect(new URLSearchParams(search).get('data')).toBe(source);
      const { state: read, corrections } = parseUrlState(search);
      expect(corrections).toEqual([]);
      expect(read.experiment.data.source).toBe(source);
    },
  );

  it('an embedded figure takes the data source as the page does', () => {
    const { state, corrections } = parseUrlState('?embed=1&fig=race&data=./examples/cells.json');
    expect(corrections).toEqual([]);
    expect(state.experiment.data.source).toBe('./examples/cells.json');
  });

  it.each(['local:a/b', 'javascript:alert(1)', 'examples'])('corrects data=%s to the synthetic shapes, saying why', (source) => {
    const { state, corrections } = parseUrlState(`?data=${encodeURIComponent(source)}`);
    expect(state.experiment.data.source).toBe('synthetic');
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatch(/Using the synthetic shapes\.$/);
  });
});

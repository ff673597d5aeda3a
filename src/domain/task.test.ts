import { describe, expect, it } from 'vitest';
import { outputChannels, taskOf } from './task';

describe('task', () => {
  it('two classes are a binary task with one logit; more are multiclass with one logit per class', () => {
    expect([taskOf(2), outputChannels(2)]).toEqual(['binary', 1]);
    expect([taskOf(3), outputChannels(3)]).toEqual(['multiclass', 3]);
    expect([taskOf(5), outputChannels(5)]).toEqual(['multiclass', 5]);
  });
});

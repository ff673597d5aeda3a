// What a data set's number of classes makes of the task and of the net's output, written once: two classes are a
// binary task with one logit per pixel (sigmoid), more are a multiclass task with one logit per class (softmax).

export type Task = 'binary' | 'multiclass';

export const taskOf = (classes: number): Task => (classes === 2 ? 'binary' : 'multiclass');

/** The net's output channels: one logit per pixel on a binary task, one per class otherwise. */
export const outputChannels = (classes: number): number => (taskOf(classes) === 'binary' ? 1 : classes);

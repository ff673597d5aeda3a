// "In your code": everything a reader takes home for one loss on one task, for the page and the checks.
import { suggestedCombo } from '../losses/lesson';
import type { LossDefinition, LossInput, LossSpec, Task } from '../losses/lossDefinition';
import { libraryCalls, nearCalls, type LibraryCall, type NearCall } from './libraryCall';
import { tfjsCode } from './tfjsCall';
import { torchSource } from './torchFunction';

export interface TakeHome {
  /** segmentation_models_pytorch or MONAI calls that compute exactly this loss. */
  library: LibraryCall[];
  /** Without an exact call: the library's calls of the same loss with other options, and how they differ. */
  near: NearCall[];
  /** A self-contained PyTorch function with the same options. */
  torch: string;
  /** This project's loss from TypeScript. */
  tfjs: string;
}

export function takeHome(spec: LossSpec, task: Task): TakeHome {
  return { library: libraryCalls(spec, task), near: nearCalls(spec, task), torch: torchSource(spec, task), tfjs: tfjsCode(spec, task) };
}

/** The loss the zoo shows for a definition: its defaults, or the lesson's combination for the combination. */
export function zooInput(def: LossDefinition, task: Task): LossInput {
  const suggested = suggestedCombo(task);
  return suggested.id === def.id ? suggested : { id: def.id };
}

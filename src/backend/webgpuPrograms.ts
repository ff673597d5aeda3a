// What the kernels of our own share (see CONTRIBUTING, "Writing a WebGPU kernel"): the shape of a
// tfjs-backend-webgpu program, flat one-thread-per-value and one-workgroup-per-output layouts, and registration.
import { tf } from '../tf';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

/** What tfjs-backend-webgpu's runWebGPUProgram reads of a program (its WebGPUProgram, which it does not export). */
export interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  getUserCode(): string;
}

export type Uniforms = { type: 'int32' | 'float32'; data: number[] }[];

interface WebGpuBackend {
  runWebGPUProgram(program: Program, inputs: TensorInfo[], dtype: 'float32', uniforms?: Uniforms): TensorInfo;
}

export const THREADS = 64;

/** The workgroup memory every WebGPU device grants: what a kernel of ours may count on. */
export const GUARANTEED_WORKGROUP_BYTES = 16384;

/** A flat output of `size` values, one thread each (`main(index)` is called with the value's index). */
export function flatProgram(size: number, shaderKey: string, variableNames: string[], code: string, uniforms?: string): Program {
  return {
    variableNames,
    outputShape: [size],
    shaderKey,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(size / THREADS), 1, 1],
    workgroupSize: [THREADS, 1, 1],
    uniforms,
    getUserCode: () => code,
  };
}

/**
 * `groups` workgroups of `threads` writing a flat output of `size` values; the shader finds its group with
 * `workgroupIndex()` (tfjs may fold a long dispatch into two dimensions).
 */
export function reductionProgram(
  groups: number,
  threads: number,
  size: number,
  shaderKey: string,
  variableNames: string[],
  code: string,
  uniforms?: string,
): Program {
  return {
    ...flatProgram(size, shaderKey, variableNames, code, uniforms),
    dispatch: [groups, 1, 1],
    workgroupSize: [threads, 1, 1],
  };
}

/** WGSL: the index of this workgroup among all of the dispatch's. */
export const WORKGROUP_INDEX = `
  fn workgroupIndex() -> i32 {
    return i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
  }`;

/**
 * Registers kernels for webgpu, once (the registry is tfjs's own): each runs its program on the inputs its shader
 * names (X ← x, Dy ← dy, …).
 */
export function registerPrograms<A>(table: readonly [string, (attrs: A) => Program][], uniformsOf?: (attrs: A) => Uniforms): void {
  for (const [kernelName, programOf] of table) {
    if (tf.getKernel(kernelName, 'webgpu')) continue;
    const config: KernelConfig = {
      kernelName,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrs as unknown as A;
        const program = programOf(a);
        const tensors = program.variableNames.map((name) => inputs[name.toLowerCase()] as TensorInfo);
        return (backend as unknown as WebGpuBackend).runWebGPUProgram(program, tensors, 'float32', uniformsOf?.(a));
      },
    };
    tf.registerKernel(config);
  }
}

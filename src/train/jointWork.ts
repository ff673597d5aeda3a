/**
 * Runs step jointly only where a joint step is short, since a pause or a change of settings waits for the share under
 * way: the default race (32 px, batch 8, width 8) steps four runs jointly in about 17 ms on wasm, while at the heavy
 * settings (64 px, batch 32, width 16: 32× the work) one run's step alone takes a sizeable part of a second, so there
 * each run stays a share of its own. The measure is a run's activation values per layer of a batch.
 */
const JOINT_WORK = 2 ** 18;
export const jointStepIsShort = (batch: number, size: number, width: number): boolean => batch * size * size * width <= JOINT_WORK;

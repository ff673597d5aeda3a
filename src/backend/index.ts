export * from './types';
export { selectBackend, type SelectOptions } from './selectBackend';
export { adapterLabel } from './probeAdapter';
export { runSelfTest } from './selfTest';

export { loadConfig, type SimConfig, simConfigSchema } from './config.ts';
export { createSimulator } from './create-simulator.ts';
export type { SimLogger } from './logger.ts';
export { generateRsaKeyPair } from './pod/pod-state.ts';
export { applySeed } from './seed/apply-seed.ts';
export { loadSeedFile } from './seed/load-seed-file.ts';
export { SimHttpError } from './sim-error.ts';
export type * from './types.ts';

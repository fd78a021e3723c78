import { resolve } from 'node:path';

/** The workspace's root folder (packages/testing/src → ../../..): where a launched process runs by default. */
export const WORKSPACE_ROOT = resolve(import.meta.dirname, '..', '..', '..');

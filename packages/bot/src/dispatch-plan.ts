import type { DispatchKind } from './context.ts';

/** What one event will run, decided before the middleware chain (which can read `kind` and `command`). */
export interface DispatchPlan {
  kind: DispatchKind;
  command?: string;
  run: () => Promise<void>;
}

/** A plan that runs nothing (the listeners still run). */
export const NOTHING_TO_RUN: () => Promise<void> = async () => {};

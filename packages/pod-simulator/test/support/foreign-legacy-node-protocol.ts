/** IPC messages between the test and `foreign-legacy-node-driver.ts` (JSON over the fork channel). */

export type DriverRequest =
  | { id: number; op: 'init' | 'startFeed' | 'stopFeed' }
  | { id: number; op: 'call'; fn: string; args?: unknown[] };

export type DriverReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: unknown };

/** A datafeed callback of the client (`message`, `created`, `error`, …) or `ready` once loaded. */
export interface DriverEvent {
  event: string;
  payload: unknown;
}

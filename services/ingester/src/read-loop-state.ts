import type { HeldBatches } from './held-batches.ts';

/** What a read loop keeps across its leader sessions; the session in progress updates it. */
export interface ReadLoopState {
  /** When the last read answered (ms); null before the first. */
  lastReadAt: number | null;
  /** When the current leader session opened its feed; null when not reading. */
  sessionStartedAt: number | null;
  /** Aborts the current leader session (the lease was lost); undefined between sessions. */
  session: AbortController | undefined;
  /** The bot's user id, asked once per process (only when its own messages are dropped). */
  botUserId: number | undefined;
  /**
   * Read and not stored yet. Outlives a session on v1 only: those events are gone from the agent, so a replica
   * that loses its lease keeps them and stores them first when it leads again (docs/ingester.md, "v1 read-ahead").
   */
  held: HeldBatches;
}

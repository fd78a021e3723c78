/** Errors of a standard stream whose reader is gone (a closed pipe or terminal). */
const GONE = new Set(['EPIPE', 'EIO', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * Keeps a process alive and stoppable when its stdout or stderr reader is gone (the orchestrator was killed, the
 * terminal closed): a write to such a stream fails with EPIPE/EIO, which Node raises as an `error` event that
 * would crash the process in the middle of anything, its shutdown included. Those errors are dropped (nobody is
 * left to read them); any other stream error is rethrown.
 */
export function guardStdio(proc: NodeJS.Process = process): void {
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== undefined && GONE.has(err.code)) return;
      throw err;
    });
  }
}

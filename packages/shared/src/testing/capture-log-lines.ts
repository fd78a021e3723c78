import { Writable } from 'node:stream';

/** What `captureLogLines` gives: the stream to log to, and the JSON lines written to it so far, parsed. */
export interface CapturedLogLines {
  lines: Record<string, unknown>[];
  /** A `createLogger({ destination })` (pino) destination. */
  destination: Writable;
}

/** A log destination for tests that keeps every JSON line written to it, parsed, in `lines`. */
export function captureLogLines(): CapturedLogLines {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, destination };
}

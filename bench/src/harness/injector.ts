import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchPod } from './bench-pod.ts';
import type { ReplyTracker } from './reply-tracker.ts';

/** Handler time of a stream's commands, in ms. */
export type HandlerMsOf = (stream: number) => number;

export interface InjectOptions {
  streams: number;
  /** Messages in total, spread round-robin over the streams (seq 1 of every stream, then seq 2, ...). */
  total: number;
  /**
   * Messages per second, on a 5 ms tick that catches up when a tick runs late; `max` = as fast as the
   * in-process simulator takes them (one message per event-loop turn, so it keeps serving reads in between).
   */
  ratePerSec: number | 'max';
  handlerMs: HandlerMsOf;
}

/** Posts `@benchbot /work <tag> <ms>` commands as a user, in the simulator's process. Returns the duration, ms. */
export async function inject(pod: BenchPod, tracker: ReplyTracker, opts: InjectOptions): Promise<number> {
  const started = Date.now();
  const seqs = new Array<number>(opts.streams).fill(0);
  const sendOne = (i: number) => {
    const s = i % opts.streams;
    const seq = (seqs[s] ?? 0) + 1;
    seqs[s] = seq;
    pod.sendWork(s, tracker.injected(s, seq), opts.handlerMs(s));
  };
  let sent = 0;
  if (opts.ratePerSec === 'max') {
    for (; sent < opts.total; sent++) {
      sendOne(sent);
      await new Promise<void>((r) => setImmediate(r));
    }
    return Date.now() - started;
  }
  const rate = opts.ratePerSec;
  while (sent < opts.total) {
    const due = Math.min(opts.total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) sendOne(sent);
    if (sent < opts.total) await sleep(5);
  }
  return Date.now() - started;
}

import { describe, expect, it } from 'vitest';
import { parseWorkerHeartbeat, REPLY_LATENCY_BOUNDS_MS, WORKER_HEARTBEAT_VERSION } from '../src/index.ts';

// The heartbeat grew optional fields within v1 (bot.version, latency): beats from before still parse, and so do
// beats with them; malformed latency buckets make the beat unusable rather than half-read.

const before = {
  v: WORKER_HEARTBEAT_VERSION,
  id: 'w1',
  pid: 1,
  host: 'h',
  startedAt: 1,
  beatAt: 2,
  concurrency: 4,
  bot: { id: 'desk-bot', fingerprint: 'a1b2c3d4e5f6', commands: 3 },
  stats: { handled: 5 },
};
const latency = {
  boundsMs: [...REPLY_LATENCY_BOUNDS_MS],
  counts: REPLY_LATENCY_BOUNDS_MS.map(() => 1).concat(0),
};

describe('WorkerHeartbeatSchema v1', () => {
  it('parses a beat without the optional fields, as written before they existed', () => {
    const beat = parseWorkerHeartbeat(JSON.stringify(before));
    expect(beat?.bot.version).toBeUndefined();
    expect(beat?.latency).toBeUndefined();
  });

  it('parses the bot version and the latency buckets', () => {
    const beat = parseWorkerHeartbeat(
      JSON.stringify({ ...before, bot: { ...before.bot, version: '2.4.1' }, latency }),
    );
    expect(beat?.bot.version).toBe('2.4.1');
    expect(beat?.latency).toEqual(latency);
  });

  it('refuses buckets whose counts do not match the bounds', () => {
    const bad = { ...latency, counts: latency.counts.slice(1) };
    expect(parseWorkerHeartbeat(JSON.stringify({ ...before, latency: bad }))).toBeNull();
  });
});

import { ingestKeys } from '@baton/ingester';
import { workerKeys } from '@baton/worker';
import { describe, expect, it } from 'vitest';
import { batonKeys } from '../src/status/baton-keys.ts';

describe('batonKeys mirrors the keys the ingester and the workers write', () => {
  it.each(['baton', 'acme.prod', 'a:b'])('prefix %s', (prefix) => {
    const mine = batonKeys(prefix);
    const ingest = ingestKeys(prefix);
    expect(mine.ingesterLeader).toBe(ingest.leader);
    expect(mine.ingesterFeed).toBe(ingest.feed);
    expect(mine.ingesterFeedEvents).toBe(ingest.feedEvents);
    const worker = workerKeys(prefix);
    expect(mine.workerHeartbeat('w-1')).toBe(worker.heartbeat('w-1'));
    expect(mine.workerHeartbeatPattern).toBe(worker.heartbeatPattern());
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { usePipelineStack } from '../support/pipeline-stack.ts';

// An answer to message create delayed beyond the worker's Symphony timeout (the pod did post the reply, the
// client gave up first: a slow load balancer, a lost response). The reply must still appear exactly once.
const stack = usePipelineStack(
  {
    rooms: 1,
    users: 1,
    ingesters: 1,
    workers: 1,
    recordTokens: true,
    workerEnv: { SYMPHONY_TIMEOUT_MS: '1500' },
  },
  { startTimeoutMs: 120_000 },
);

describe('latency spike beyond the client timeout on message create', () => {
  // The reply path never lets the client re-send a message create after an ambiguous failure (timeout, reset,
  // 5xx): the attempt fails, and the next one finds the "started" mark and looks for the message first.
  it('posts the reply once even when the first post times out but succeeds', async () => {
    const s = stack();
    const room = s.rooms[0] as string;
    s.proxy!.delayResponses({ method: 'POST', pathIncludes: '/message/create', ms: 2_500, times: 1 });
    s.say(room, `@${s.bot.username} /echo slow-post`);
    await waitFor('the reply', () => s.botMessages(room).some((m) => m.text === 'slow-post'), 30_000);
    await sleep(4_000); // the delayed first post lands now, if it is going to
    expect(s.botMessages(room).filter((m) => m.text === 'slow-post')).toHaveLength(1);
  }, 60_000);
});

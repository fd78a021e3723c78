import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { createTestBot } from '@baton/worker/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceBot } from '../src/bot/index.ts';
import { POLL_FORM_ID } from '../src/bot/poll-commands.ts';
import { createRedisStateStore } from '../src/framework/index.ts';

// Two "replicas" of the reference bot sharing one Redis state store, as N workers do in production.
let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 3 });
});

afterAll(async () => {
  await redis?.quit();
  await server?.close();
});

function replicas() {
  const state = createRedisStateStore(redis, { prefix: `${uniquePrefix('bot')}:` });
  const make = () => createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }), { state });
  return [make(), make()] as const;
}

describe('reference bot on a shared Redis state store', () => {
  it('continues a /feedback dialog on another replica', async () => {
    const [a, b] = replicas();
    await a.send('@bot /feedback');
    expect((await b.send('5'))[0]?.text).toBe('Thanks! What should we improve?');
    expect((await a.send('Nothing, it is great'))[0]?.text).toContain('Your feedback is saved');
    expect(await b.state.get('feedback:2001')).toMatchObject({ rating: 5, comment: 'Nothing, it is great' });
  });

  it('tallies poll votes handled by different replicas, one per user', async () => {
    const [a, b] = replicas();
    const [form] = await a.send('@bot /poll "Ship it?" yes no');
    const [yes, no] = [...(form?.message ?? '').matchAll(/<button name="([^"]+)"/g)].map((m) => m[1] ?? '');
    await a.submitForm(POLL_FORM_ID, { action: yes }, { from: a.users.alice });
    await b.submitForm(POLL_FORM_ID, { action: yes }, { from: b.users.bob });
    await Promise.all([
      a.submitForm(POLL_FORM_ID, { action: no }, { from: a.users.carol }),
      b.submitForm(POLL_FORM_ID, { action: no }, { from: b.users.carol }),
    ]);
    const [result] = await b.send('@bot /poll close');
    expect(result?.text).toContain('Ship it? (3 votes)');
    expect(result?.message).toContain('<tr><td>yes</td><td>2</td></tr>');
    expect(result?.message).toContain('<tr><td>no</td><td>1</td></tr>');
  });
});

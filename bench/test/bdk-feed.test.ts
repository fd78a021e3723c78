import { setTimeout as sleep } from 'node:timers/promises';
import { createSimulator, type Simulator } from '@baton/pod-simulator';
import { createLogger, createSymphonyClient } from '@baton/shared';
import { createSimBotUser } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBdkFeed } from '../src/baselines/bdk-feed.ts';

const logger = createLogger({ level: 'silent' });
let sim: Simulator;
let client: ReturnType<typeof createSymphonyClient>;
let room: string;
let alice: number;

beforeAll(async () => {
  sim = await createSimulator({ longPollMs: 200, redeliveryMs: 500, v1QueueSize: 5 });
  const bot = createSimBotUser(sim.control, 'feedbot');
  alice = sim.control.createUser({ username: 'alice' }).userId;
  room = sim.control.createStream({ type: 'ROOM', memberIds: [alice, bot.userId] }).streamId;
  client = createSymphonyClient(
    { podUrl: sim.url, botUsername: bot.username, privateKeyPem: bot.privateKeyPem },
    { logger },
  );
});

afterAll(async () => {
  client?.close();
  await sim?.close();
});

const say = (text: string) => sim.control.sendMessage(room, { fromUserId: alice, text });
const texts = (events: unknown[]) =>
  events.map(
    (e) =>
      (e as { payload: { messageSent: { message: { message: string } } } }).payload.messageSent.message
        .message,
  );

describe('createBdkFeed', () => {
  it('v1: a feed that reached the queue size is gone; the loop creates a new one and the old events are lost', async () => {
    const feed = createBdkFeed('v1', { client, logger });
    const signal = new AbortController().signal;
    expect(await feed.read(signal)).toEqual([]); // empty long poll: the feed now exists
    for (let i = 0; i < 5; i++) say(`lost ${i}`); // reaches v1QueueSize (5): the feed expires
    expect(await feed.read(signal)).toEqual([]);
    expect(feed.recreated()).toBe(1);
    say('in the gap'); // no feed exists until the next read creates one: lost as well
    expect(await feed.read(signal)).toEqual([]);
    say('after');
    const events = await feed.read(signal);
    expect(texts(events).join()).toMatch(/after/);
    expect(texts(events).join()).not.toMatch(/lost|gap/);
  });

  it('v2: a batch is acknowledged only by the next read; one held past the redelivery delay comes again', async () => {
    const feed = createBdkFeed('v2', { client, logger });
    const signal = new AbortController().signal;
    await feed.read(signal);
    say('one');
    say('two');
    const first = await feed.read(signal);
    expect(texts(first).join()).toMatch(/one.*two/);
    await sleep(700); // past the redelivery delay, before the next read
    const second = await feed.read(signal);
    // The batch was not acknowledged yet when the delay passed: it comes again (what BDKs see with slow batches).
    expect(texts(second).join()).toMatch(/one.*two/);
    const third = await feed.read(signal); // acknowledges the redelivered batch
    expect(third).toEqual([]);
    expect(feed.recreated()).toBe(0);
  });
});

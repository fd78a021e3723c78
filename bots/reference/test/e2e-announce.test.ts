import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { type E2EStack, stackTest } from '@baton/worker/testing';
import { describe, expect, it } from 'vitest';
import { referenceStackOptions } from './support/reference-stack-options.ts';

// `/announce` through simulator + ingester + a worker process running the reference bot with an on-behalf-of
// app (SYMPHONY_APP_ID / SYMPHONY_APP_PRIVATE_KEY): alice asks in her IM with the bot, and the announcement lands
// in the room as **alice's** message, once; bob, who has not installed the app, is refused.
let stack: E2EStack;
let im: string;
let bobIm: string;
let news: string;
let bobId: number;

stackTest.override('stackOptions', referenceStackOptions());

stackTest.beforeAll(async ({ stack: fileStack }) => {
  stack = fileStack;
  const { sim, bot, alice } = stack;
  bobId = sim.control.createUser({ username: 'bob', displayName: 'Bob' }).userId;
  const app = sim.control.generateKeyPair();
  sim.control.registerApp({ appId: 'baton-announcer', publicKeyPem: app.publicKeyPem });
  sim.control.installApp('baton-announcer', alice.userId);
  im = sim.control.createStream({ type: 'IM', memberIds: [alice.userId, bot.userId] }).streamId;
  bobIm = sim.control.createStream({ type: 'IM', memberIds: [bobId, bot.userId] }).streamId;
  // The bot is not a member of the room: only the OBO session of alice can post there.
  news = sim.control.createStream({
    type: 'ROOM',
    name: 'Company news',
    memberIds: [alice.userId, bobId],
  }).streamId;
  await stack.spawnWorker('announce1', {
    SYMPHONY_APP_ID: 'baton-announcer',
    SYMPHONY_APP_PRIVATE_KEY: app.privateKeyPem,
  });
}, 60_000);

const output = () => [...stack.workers.values()].map((w) => w.output()).join('\n');

describe('/announce end to end', () => {
  it('posts in the room as the requesting user, once, and confirms in the IM', async () => {
    stack.say(im, '/announce "Company news" The offsite is on Friday');
    await waitFor('the confirmation', () => stack.botMessages(im).length >= 1, 30_000, output);
    expect(stack.botMessages(im).map((m) => m.text)).toEqual(['Posted in "Company news" as you.']);
    const posted = stack.sim.control.listMessages(news);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      text: 'The offsite is on Friday',
      sender: { userId: stack.alice.userId, username: 'alice', bot: false },
    });
    const requests = stack.sim.control.stats().requests;
    expect(requests['POST /login/pubkey/app/authenticate']).toBe(1);
    expect(requests['POST /login/pubkey/app/user/:userId/authenticate']).toBe(1);
    await sleep(1_000);
    expect(stack.sim.control.listMessages(news)).toHaveLength(1);
  });

  it('a user who has not installed the app is told so; nothing is posted for them', async () => {
    stack.say(bobIm, '/announce "Company news" hello', bobId);
    await waitFor('the refusal', () => stack.botMessages(bobIm).length >= 1, 30_000, output);
    expect(stack.botMessages(bobIm)[0]?.text).toBe(
      'I cannot post for you: install the announcements app first.',
    );
    expect(stack.sim.control.listMessages(news).map((m) => m.sender.userId)).toEqual([stack.alice.userId]);
  });

  it('a worker with the app and no bot account starts app-only: it logs in the app, opens no bot session', async () => {
    const appLogins = stack.sim.control.stats().requests['POST /login/pubkey/app/authenticate'] ?? 0;
    const sessionInfo = stack.sim.control.stats().requests['GET /pod/v2/sessioninfo'] ?? 0;
    const app = stack.sim.control.generateKeyPair();
    stack.sim.control.registerApp({ appId: 'baton-announcer', publicKeyPem: app.publicKeyPem }); // a new key
    const worker = await stack.spawnWorker('apponly1', {
      SYMPHONY_BOT_USERNAME: '', // empty = unset
      SYMPHONY_PRIVATE_KEY: '',
      SYMPHONY_APP_ID: 'baton-announcer',
      SYMPHONY_APP_PRIVATE_KEY: app.privateKeyPem,
      LOG_LEVEL: 'info',
    });
    await waitFor('the app-only start line', () => worker.output().includes('app-only'), 10_000, output);
    const requests = stack.sim.control.stats().requests;
    expect(requests['POST /login/pubkey/app/authenticate']).toBe(appLogins + 1);
    expect(requests['GET /pod/v2/sessioninfo'] ?? 0).toBe(sessionInfo); // no bot session
    await worker.kill('SIGTERM');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { type E2EStack, stackTest } from '@baton/worker/testing';
import { describe, expect, it } from 'vitest';
import { referenceStackOptions } from './support/reference-stack-options.ts';

// `/wc` through simulator + ingester + a worker process running the reference bot: a message with a file in,
// a reply with a file out (the worker downloads through the agent's attachment endpoint and uploads multipart),
// exactly once.
let stack: E2EStack;
let room: string;

stackTest.override('stackOptions', referenceStackOptions());

stackTest.beforeAll(async ({ stack: fileStack }) => {
  stack = fileStack;
  room = stack.room('files', [stack.bot.userId, stack.alice.userId]);
  await stack.spawnWorker('wc1');
}, 60_000);

describe('/wc end to end', () => {
  it('answers a file with a file, once', async () => {
    stack.sim.control.sendMessage(room, {
      fromUserId: stack.alice.userId,
      text: '@baton-bot /wc',
      attachments: [{ name: 'poem.txt', content: Buffer.from('roses are red\nviolets are blue\n') }],
    });
    await waitFor(
      'the /wc reply',
      () => stack.botMessages(room).length >= 1,
      30_000,
      () => [...stack.workers.values()].map((w) => w.output()).join('\n'),
    );
    const [reply] = stack.botMessages(room);
    expect(reply?.text).toBe('poem.txt: 2 lines, 6 words, 31 bytes');
    const [info] = reply?.attachments ?? [];
    expect(info?.name).toBe('wc.txt');
    expect(stack.sim.control.attachmentContent(reply!.messageId, info!.id)?.toString()).toBe(
      '      2       6      31 poem.txt\n',
    );
    // The agent's attachment endpoint served the download.
    expect(stack.sim.control.stats().requests['GET /agent/v1/stream/:sid/attachment']).toBe(1);
    await sleep(1_500);
    expect(stack.botMessages(room)).toHaveLength(1);
  });
});

import { runNode, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import type { E2EStack } from './support/e2e-stack.ts';
import { stackTest } from './support/stack-test.ts';

// A handler that always throws: N attempts, dead-lettered, one polite reply, the stream goes on; `pnpm dlq replay`.
stackTest.override('stackOptions', { workerEnv: { HANDLER_ATTEMPTS: '3', HANDLER_BACKOFF_MS: '100' } });

stackTest.beforeAll(async ({ stack }) => {
  await stack.spawnWorker('d1');
});

async function dlq(stack: E2EStack, ...args: string[]): Promise<string> {
  const run = await runNode(
    {
      name: 'pnpm dlq',
      entry: 'services/worker/src/cli/dlq.ts',
      args,
      inheritEnv: true,
      env: { ...stack.env, LOG_LEVEL: 'silent' },
    },
    30_000,
  );
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** Says `texts` in a new room; once the bot has posted as many messages there, they must be `replies`. */
async function converse(stack: E2EStack, name: string, texts: string[], replies: string[]): Promise<string> {
  const room = stack.room(name);
  for (const text of texts) stack.say(room, text);
  await waitFor('the stream moved on', () => stack.botMessages(room).length === replies.length, 30_000);
  expect(stack.botMessages(room).map((m) => m.text)).toEqual(replies);
  return room;
}

/** The handle-stage dead letter `pnpm dlq list` shows, and what `pnpm dlq show` prints of it. */
async function shownDeadLetter(stack: E2EStack): Promise<{ id: string; shown: Record<string, unknown> }> {
  const list = await dlq(stack, 'list');
  const id = /^(dl-[0-9a-f]+)\s+handle/m.exec(list)?.[1];
  expect(id, list).toBeDefined();
  return { id: id!, shown: JSON.parse(await dlq(stack, 'show', id!)) as Record<string, unknown> };
}

const SORRY = 'Sorry, something went wrong handling that message.';

describe('dead-letter queue end to end', () => {
  stackTest(
    'dead-letters after N attempts, replies once, goes on; `pnpm dlq replay` re-drives the event',
    async ({ stack }) => {
      const room = await converse(
        stack,
        'dlq-room',
        ['before', 'fail-always', 'after'],
        ['echo before', SORRY, 'echo after'],
      );
      const { id, shown } = await shownDeadLetter(stack);
      expect(shown).toMatchObject({
        stage: 'handle',
        streamId: room,
        attempts: 3,
        error: { message: 'scripted failure: fail-always' },
      });

      // the operator fixes the cause, then replays: the event goes to the tail of its stream and is handled
      await stack.redis.set(`${stack.prefix}:state:fixed`, 'true');
      expect(await dlq(stack, 'replay', id)).toMatch(/replayed/);
      await waitFor('replayed event handled', () => stack.botMessages(room).length === 4, 20_000);
      expect(stack.botMessages(room).at(-1)?.text).toBe('echo fail-always');
      expect(await dlq(stack, 'list')).toMatch(/0 shown, 0 in the dead-letter queue/);
    },
    55_000,
  );

  stackTest(
    'a reply over the message size limit is dead-lettered at the first attempt with its code, not retried',
    async ({ stack }) => {
      const room = await converse(stack, 'too-large-room', ['huge reply', 'after'], [SORRY, 'echo after']);
      const { id, shown } = await shownDeadLetter(stack);
      expect(shown).toMatchObject({
        stage: 'handle',
        streamId: room,
        attempts: 1, // HANDLER_ATTEMPTS is 3: no retry
        reason: expect.stringContaining('SYMPHONY_MESSAGE_TOO_LARGE'),
        error: { name: 'MessageTooLargeError', code: 'SYMPHONY_MESSAGE_TOO_LARGE' },
      });
      await dlq(stack, 'drop', id);
    },
    55_000,
  );
});

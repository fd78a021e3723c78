import { createDeadLetters, type DeadLetter, jsonSha256 } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { waitFor } from '@baton/testing';
import { stackTest } from '@baton/worker/testing';
import { afterAll, describe, expect } from 'vitest';
import { toStandardBase64 } from './support/hostile-events.ts';

// The event model's rules (docs/event-model.md) end to end: events of each class injected into the bot's feed
// through the simulator's control API, read by the real ingester, drained by a real worker process (the
// scripted bot: it answers every message it is handed `echo <its text>`). Each refused event is dead-lettered
// at stage `ingest` with the documented reason and never answered; each accepted one is answered with its
// documented normalisation; the valid command after them in the same stream is answered, in order.

stackTest.beforeAll(async ({ stack }) => {
  await stack.spawnWorker('rules-1');
});

let dlq: ReturnType<typeof createDeadLetters> | undefined;
afterAll(async () => {
  await dlq?.close();
});

type Raw = Record<string, unknown> & { payload: { messageSent: { message: Record<string, unknown> } } };

const PML = (inner: string) => `<div data-format="PresentationML" data-version="2.0">${inner}</div>`;
const MENTION = '<span class="entity" data-entity-id="0">@Baton</span>';
const mention = (value: unknown) =>
  JSON.stringify({
    '0': { id: [{ type: 'com.symphony.user.userId', value }], type: 'com.symphony.user.mention' },
  });

describe('event-model rules, through the simulator, the ingester and a worker', () => {
  stackTest(
    'refuses each class with its documented reason, normalises what it accepts, answers the next command in order',
    async ({ stack }) => {
      const room = stack.room('rules');
      const from = { userId: stack.alice.userId, username: 'alice', displayName: 'Alice' };
      // Each event built gets a later timestamp, as on a real feed: the mailbox places a pending event by its
      // own timestamp (docs/ingester.md, "Order across a leader failover"), so the accepted ones are built in
      // the order they are injected, between `before` and `after`.
      let clock = Date.now();
      const msg = (o: Partial<Parameters<typeof rawMessageSent>[0]> & { text?: string }) =>
        rawMessageSent({ streamId: room, from, timestamp: ++clock, ...o }) as Raw;
      const before = msg({ text: 'before' });
      const mutated = (text: string, change: (e: Raw) => void): Raw => {
        const e = msg({ text });
        change(e);
        return e;
      };
      const refused: { name: string; raw: unknown; reason: string | RegExp }[] = [
        {
          name: 'initiator not the sender',
          raw: mutated('forged', (e) => {
            e['initiator'] = { user: { userId: 424242, username: 'mallory', displayName: 'Mallory' } };
          }),
          reason: `initiator.user.userId: 424242 is not the message's sender payload.messageSent.message.user.userId ${from.userId}`,
        },
        {
          name: 'an event given as JSON text',
          raw: JSON.stringify(msg({ text: 'double-encoded event' })),
          reason: 'event: expected an object, got a string (an event is never decoded from JSON text twice)',
        },
        {
          name: 'a payload given as JSON text',
          raw: mutated('double-encoded payload', (e) => {
            e['payload'] = JSON.stringify(e.payload) as never;
          }),
          reason: 'payload: expected an object',
        },
        {
          name: 'a stream id mixing the two alphabets',
          raw: msg({ streamId: `+${room.slice(1, -1)}_`, text: 'mixed id' }),
          reason:
            'payload.messageSent.message.stream.streamId: not a Symphony id: mixes the URL-safe (-_) and standard (+/) base64 alphabets',
        },
        {
          name: 'a URL-safe stream id with padding',
          // (`-` first: an id without `-` or `_`, padded, would be a valid standard one.)
          raw: msg({ streamId: `-${room.slice(1)}==`, text: 'padded id' }),
          reason: 'payload.messageSent.message.stream.streamId: not a Symphony id: padding on a URL-safe id',
        },
        {
          name: 'a stream id of the wrong length',
          raw: msg({ streamId: room.slice(0, 30), text: 'short id' }),
          reason:
            'payload.messageSent.message.stream.streamId: not a Symphony id: 30 characters, expected 34 (25 bytes)',
        },
        {
          name: 'standard base64 without its padding',
          // (`+` first: without `+` or `/`, the unpadded standard form is a valid URL-safe id.)
          raw: msg({ streamId: `+${toStandardBase64(room).slice(1, -2)}`, text: 'unpadded std id' }),
          reason:
            'payload.messageSent.message.stream.streamId: not a Symphony id: standard base64 (+/) without its "==" padding',
        },
        {
          name: 'a stray </div> closing the message early',
          raw: msg({ presentationML: `${PML('<p>inside</p>')}<p>escaped</p></div>` }),
          reason: /^payload\.messageSent\.message\.message: not well-formed PresentationML: /,
        },
        {
          name: 'an empty message',
          raw: msg({ presentationML: '' }),
          reason:
            'payload.messageSent.message.message: empty: a Symphony message is PresentationML, never empty',
        },
        {
          name: 'a negative timestamp',
          raw: msg({ text: 'negative time', timestamp: -1 }),
          reason: /payload\.messageSent\.message\.timestamp: Too small: expected number to be >=0/,
        },
        {
          name: 'a fractional timestamp',
          raw: msg({ text: 'fractional time', timestamp: Date.now() + 0.5 }),
          reason: /payload\.messageSent\.message\.timestamp: expected int, received number/,
        },
        {
          name: 'invalid EntityJSON',
          raw: msg({ presentationML: PML(`<p>${MENTION} bad data</p>`), data: '{"0": {"id": [' }),
          reason: 'payload.messageSent.message.data: EntityJSON is not valid JSON',
        },
        {
          name: 'EntityJSON not an object',
          raw: msg({ presentationML: PML(`<p>${MENTION} array data</p>`), data: '[1, "two", null]' }),
          reason: 'payload.messageSent.message.data: EntityJSON is not a JSON object',
        },
        {
          name: 'a mention id that is not a number',
          raw: msg({ presentationML: PML(`<p>${MENTION} odd mention</p>`), data: mention('abc') }),
          reason:
            'payload.messageSent.message.data: data.0: a mention whose user id "abc" is not a user id (digits)',
        },
      ];
      // Accepted, each with its documented normalisation: what the bot is handed, hence its reply.
      const accepted: { name: string; raw: unknown; reply: string }[] = [
        {
          name: 'a stream id in standard base64 (the UI form): normalised to the API form',
          raw: msg({ streamId: toStandardBase64(room), text: 'std-base64' }),
          reply: 'echo std-base64',
        },
        {
          name: 'C0 control characters: stripped (TAB, LF, CR kept)',
          raw: msg({ text: 'ctl a\u0000b\u0007c\u001bd' }),
          reply: 'echo ctl abcd',
        },
        {
          name: 'a mention id as a JSON number',
          raw: msg({
            presentationML: PML(`<p>${MENTION} number mention</p>`),
            data: mention(stack.bot.userId),
          }),
          reply: 'echo @Baton number mention',
        },
      ];
      const inject = (raw: unknown) => stack.sim.control.injectEvent(stack.bot.userId, raw);
      inject(before);
      // Interleaved, so that each accepted event has refused ones before and after it.
      const order = [
        ...refused.slice(0, 5),
        accepted[0],
        ...refused.slice(5, 10),
        accepted[1],
        ...refused.slice(10),
        accepted[2],
      ];
      for (const e of order) inject(e?.raw);
      inject(msg({ text: 'after' }));

      const replies = () => stack.botMessages(room).map((m) => m.text);
      await waitFor(
        'the reply to the command after them',
        () => replies().includes('echo after'),
        30_000,
        () => JSON.stringify(replies()),
      );
      // Answered, in injection order: the accepted ones (normalised) between the commands around them.
      expect(replies()).toEqual(['echo before', ...accepted.map((a) => a.reply), 'echo after']);

      // Each refused one: dead-lettered at stage ingest with its documented reason.
      dlq = createDeadLetters({ connection: stack.redis, prefix: stack.prefix });
      const bySha = new Map<string, DeadLetter>();
      await waitFor(
        'every refused event in the dead-letter queue',
        async () => {
          for (const d of await (dlq as NonNullable<typeof dlq>).list({ limit: 500 })) {
            if (d.data.v === 2) bySha.set(d.data.rawSha256, d.data);
          }
          return refused.every((r) => bySha.has(jsonSha256(r.raw).sha256));
        },
        20_000,
        () =>
          refused
            .filter((r) => !bySha.has(jsonSha256(r.raw).sha256))
            .map((r) => r.name)
            .join(', '),
      );
      for (const r of refused) {
        const d = bySha.get(jsonSha256(r.raw).sha256);
        expect(d?.stage, r.name).toBe('ingest');
        if (typeof r.reason === 'string') expect(d?.reason, r.name).toBe(r.reason);
        else expect(d?.reason, r.name).toMatch(r.reason);
      }
      // None of the accepted ones was dead-lettered, and the worker never restarted.
      for (const a of accepted) expect(bySha.has(jsonSha256(a.raw).sha256), a.name).toBe(false);
      for (const w of stack.workers.values()) {
        expect(w.running, w.tail(20)).toBe(true);
        expect(w.exits).toEqual([]);
      }
    },
    60_000,
  );
});

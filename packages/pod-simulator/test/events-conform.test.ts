import { parseCommandInput, parseEvent, tokenizeMessage } from '@baton/shared';
import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { type BotUser, call, sendMessageML, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

/**
 * The simulator and the shared event model were written apart from the same reference: every event the
 * simulator emits must pass `parseEvent`, and the bot-facing helpers must read its messages as a bot would.
 */
simTest.override({
  simOptions: { longPollMs: 150 },
  botOptions: { username: 'conform-bot', displayName: 'Conform Bot' },
  aliceOptions: { displayName: 'Alice Analyst' },
  bobOptions: { displayName: 'Bob Trader' },
});

async function drain(
  sim: Simulator,
  bot: BotUser,
  feedId: string,
  ackId: string,
): Promise<{ events: WireEvent[]; ackId: string }> {
  const all: WireEvent[] = [];
  let ack = ackId;
  for (;;) {
    const r = await call(sim, 'POST', `/agent/v5/datafeeds/${feedId}/read`, bot.session.headers, {
      ackId: ack,
    });
    expect(r.status).toBe(200);
    const body = r.body as { events: WireEvent[]; ackId: string };
    ack = body.ackId;
    if (body.events.length === 0) return { events: all, ackId: ack };
    all.push(...body.events);
  }
}

describe('simulator events against the shared event model', () => {
  simTest(
    'every emitted event type parses as a valid event, ids and user ids intact',
    async ({ sim, bot, alice, bob }) => {
      const h = bot.session.headers;
      const feed = (await call(sim, 'POST', '/agent/v5/datafeeds', h)).body as { id: string };

      const im = (await call(sim, 'POST', '/pod/v1/im/create', h, [alice])).body as { id: string };
      const room = (await call(sim, 'POST', '/pod/v3/room/create', h, { name: 'Desk', description: 'd' }))
        .body as { roomSystemInfo: { id: string } };
      const roomId = room.roomSystemInfo.id;
      await call(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, h, { id: alice });
      await call(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, h, { id: bob });
      await call(sim, 'POST', `/pod/v1/room/${roomId}/membership/remove`, h, { id: bob });
      const form = await sendMessageML(
        sim,
        h,
        im.id,
        '<messageML><form id="f1"><text-field name="q"/><button name="go">Go</button></form></messageML>',
      );
      expect(form.status).toBe(200);
      sim.control.sendMessage(roomId, {
        fromUserId: alice,
        text: '@conform-bot /room create "Q3 desk" @bob',
      });
      sim.control.submitForm(im.id, {
        fromUserId: alice,
        formMessageId: form.body.messageId as string,
        formId: 'f1',
        formValues: { action: 'go', q: 'x' },
      });

      const { events } = await drain(sim, bot, feed.id, '');
      const types = events.map((e) => e.type);
      expect(new Set(types)).toEqual(
        new Set([
          'INSTANTMESSAGECREATED',
          'ROOMCREATED',
          'USERJOINEDROOM',
          'USERLEFTROOM',
          'MESSAGESENT',
          'SYMPHONYELEMENTSACTION',
        ]),
      );
      for (const raw of events) {
        const parsed = parseEvent(raw);
        expect(parsed.ok ? 'valid' : parsed.reason, raw.type).toBe('valid');
        expect(raw.initiator.user.userId).toBeTypeOf('number');
      }

      // The message a person typed in the room: it mentions the bot (what addresses a bot in a room: the
      // framework's `isAddressed` is `mentionsBot` there) and the command tokenizes with typed arguments.
      const typed = events.find((e) => e.type === 'MESSAGESENT' && e.initiator.user.userId === alice);
      const parsed = parseEvent(typed);
      if (!parsed.ok) throw new Error(parsed.reason);
      if (parsed.event.type !== 'MESSAGESENT') throw new Error(`not a message: ${parsed.event.type}`);
      const msg = parsed.event.payload.messageSent.message;
      expect(msg.stream.streamType).toBe('ROOM');
      const input = parseCommandInput(tokenizeMessage(msg.message, msg.data), bot.userId);
      expect(input.mentionsBot).toBe(true);
      expect(input.command).toEqual({
        slash: 'room',
        args: [
          { kind: 'word', text: 'create' },
          { kind: 'quoted', text: 'Q3 desk' },
          { kind: 'mention', userId: bob, text: '@Bob Trader' },
        ],
      });
    },
  );
});

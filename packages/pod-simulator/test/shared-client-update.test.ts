import { ClientError, MessageUpdateRefusedError } from '@baton/shared';
import { describe, expect } from 'vitest';
import { simTest } from './support/sim-test.ts';

/** The shared Symphony client's `updateMessage` against the simulator's agent. */
simTest.override({
  simOptions: { longPollMs: 300 },
  botOptions: { username: 'update-bot' },
  aliceOptions: { displayName: 'Alice' },
});

/** `simTest` plus the room "Polls" (`roomId`) of the bot and alice. */
const updateTest = simTest.extend('roomId', { scope: 'file' }, ({ sim, botClient, alice }) => {
  const memberIds = [botClient.botId, alice];
  return sim.control.createStream({ type: 'ROOM', name: 'Polls', memberIds }).streamId;
});

describe('client.updateMessage', () => {
  updateTest(
    'replaces a message the bot sent and returns the new version',
    async ({ sim, botClient: { client }, roomId }) => {
      const sent = await client.sendMessage(roomId, {
        message: '<messageML><form id="f"><button name="a">A</button></form></messageML>',
      });
      const updated = await client.updateMessage(roomId, sent.messageId, {
        message: '<messageML><p>Closed</p></messageML>',
        data: { note: { type: 'x', version: '1.0' } },
      });
      expect(updated.messageId).not.toBe(sent.messageId);
      expect(updated.replacing).toBe(sent.messageId);
      expect(updated.initialMessageId).toBe(sent.messageId);
      expect(updated.message).toContain('<p>Closed</p>');
      expect(updated.message).not.toContain('<form');
      expect(JSON.parse(updated.data ?? '{}')).toEqual({ note: { type: 'x', version: '1.0' } });
      const stored = sim.control.listMessages(roomId);
      expect(stored.find((m) => m.messageId === sent.messageId)?.replacedBy).toBe(updated.messageId);
      // The next update names the latest version; the stale one is refused with the coded error.
      const again = await client.updateMessage(roomId, updated.messageId, {
        message: '<messageML>v3</messageML>',
      });
      expect(again.initialMessageId).toBe(sent.messageId);
      const stale = await client
        .updateMessage(roomId, sent.messageId, { message: '<messageML>v4</messageML>' })
        .catch((err: unknown) => err);
      expect(stale).toBeInstanceOf(MessageUpdateRefusedError);
      expect(stale).toBeInstanceOf(ClientError);
      expect((stale as MessageUpdateRefusedError).code).toBe('SYMPHONY_UPDATE_REFUSED');
      expect((stale as MessageUpdateRefusedError).status).toBe(400);
    },
  );

  updateTest(
    'refuses another user’s message (403) and an unknown one (400), both coded',
    async ({ sim, botClient: { client }, alice, roomId }) => {
      const { messageId } = sim.control.sendMessage(roomId, { fromUserId: alice, text: 'mine' });
      const theirs = await client
        .updateMessage(roomId, messageId, { message: '<messageML>edit</messageML>' })
        .catch((err: unknown) => err);
      expect(theirs).toBeInstanceOf(MessageUpdateRefusedError);
      expect((theirs as MessageUpdateRefusedError).status).toBe(403);
      const unknown = await client
        .updateMessage(roomId, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { message: '<messageML>x</messageML>' })
        .catch((err: unknown) => err);
      expect(unknown).toBeInstanceOf(MessageUpdateRefusedError);
      expect((unknown as MessageUpdateRefusedError).status).toBe(400);
    },
  );
});

import { randomBytes } from 'node:crypto';
import {
  type Attachment,
  AttachmentLimitError,
  AttachmentTooLargeError,
  ClientError,
  parseEvent,
  ResponseTooLargeError,
} from '@baton/shared';
import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { simTest } from './support/sim-test.ts';

const CREATE = 'POST /agent/v4/stream/:sid/message/create';

/** The shared client's attachments against the simulator's agent: upload, MESSAGESENT info, download, limits. */
simTest.override({
  simOptions: { longPollMs: 300 },
  botOptions: { username: 'files-bot' },
  aliceOptions: { displayName: 'Alice' },
});

/** `simTest` plus the rooms "Files" of the bot and alice (`roomId`) and "Private" of alice alone (`otherRoomId`). */
const filesTest = simTest
  .extend('roomId', { scope: 'file' }, ({ sim, botClient, alice }) => {
    const memberIds = [botClient.botId, alice];
    return sim.control.createStream({ type: 'ROOM', name: 'Files', memberIds }).streamId;
  })
  .extend('otherRoomId', { scope: 'file' }, ({ sim, alice }) => {
    return sim.control.createStream({ type: 'ROOM', name: 'Private', memberIds: [alice] }).streamId;
  });

const creates = (sim: Simulator) => sim.control.stats().requests[CREATE] ?? 0;
const downloads = (sim: Simulator) =>
  sim.control.stats().requests['GET /agent/v1/stream/:sid/attachment'] ?? 0;

describe('attachments through the shared client', () => {
  filesTest(
    'uploads files (multipart) that the bot can download back byte for byte',
    async ({ botClient: { client }, roomId }) => {
      const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const sent = await client.sendMessage(roomId, {
        message: '<messageML>two files</messageML>',
        attachments: [
          { filename: 'bytes.bin', content: binary },
          { filename: 'notes.txt', content: Buffer.from('héllo\nworld\n'), contentType: 'text/plain' },
        ],
      });
      const infos = sent.attachments as { id: string; name: string; size: number; images: unknown[] }[];
      expect(infos.map((a) => [a.name, a.size])).toEqual([
        ['bytes.bin', 256],
        ['notes.txt', Buffer.byteLength('héllo\nworld\n')],
      ]);
      // Ids carry `%` like a real pod's: the client must encode them in the query.
      expect(infos[0]!.id).toContain('%2F');
      const [first, second] = await Promise.all(
        infos.map((a) =>
          client.downloadAttachment({ streamId: roomId, messageId: sent.messageId, attachmentId: a.id }),
        ),
      );
      expect(first!.equals(binary)).toBe(true);
      expect(second!.toString('utf8')).toBe('héllo\nworld\n');
    },
  );

  filesTest(
    'delivers a user’s file in MESSAGESENT as V4AttachmentInfo that the event model accepts',
    async ({ sim, botClient: { client }, alice, roomId }) => {
      const feed = await client.createDatafeed();
      await client.readDatafeed(feed.id, ''); // first read: empty, gives an ackId
      const content = randomBytes(5000);
      const { messageId } = sim.control.sendMessage(roomId, {
        fromUserId: alice,
        text: 'the rates',
        attachments: [{ name: 'rates.csv', content }],
      });
      let event: ReturnType<typeof parseEvent> | undefined;
      for (let ackId = '', i = 0; i < 10 && !event; i++) {
        const read = await client.readDatafeed(feed.id, ackId);
        ackId = read.ackId;
        const raw = read.events.find((e) => (e as { messageId?: string }).messageId === messageId);
        if (raw) event = parseEvent(raw);
      }
      if (!event?.ok || event.event.type !== 'MESSAGESENT') throw new Error('no valid MESSAGESENT');
      const [info] = event.event.payload.messageSent.message.attachments ?? [];
      expect(info).toMatchObject({ name: 'rates.csv', size: 5000, images: [] });
      const bytes = await client.downloadAttachment({ streamId: roomId, messageId, attachmentId: info!.id });
      expect(bytes.equals(content)).toBe(true);
      await client.deleteDatafeed(feed.id);
    },
  );

  filesTest(
    'cuts a download off past maxBytes (AttachmentTooLargeError, not retried) and accepts exactly maxBytes',
    async ({ sim, botClient: { client }, alice, roomId }) => {
      const { messageId } = sim.control.sendMessage(roomId, {
        fromUserId: alice,
        text: '',
        attachments: [{ name: 'big.bin', content: randomBytes(64 * 1024) }],
      });
      const [info] = sim.control.listMessages(roomId).find((m) => m.messageId === messageId)!.attachments!;
      const ref = { streamId: roomId, messageId, attachmentId: info!.id };
      const before = downloads(sim);
      const err = await client.downloadAttachment(ref, { maxBytes: 1024 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AttachmentTooLargeError);
      expect((err as AttachmentTooLargeError).code).toBe('SYMPHONY_ATTACHMENT_TOO_LARGE');
      expect((err as AttachmentTooLargeError).maxBytes).toBe(1024);
      // Cut off while reading (the transport's bound), not after the whole body arrived.
      expect((err as Error).cause).toBeInstanceOf(ResponseTooLargeError);
      expect(downloads(sim) - before).toBe(1);
      // The read bound leaves base64's slack; the decoded bound is exact.
      const near = await client.downloadAttachment(ref, { maxBytes: 64 * 1024 - 1 }).catch((e: unknown) => e);
      expect(near).toBeInstanceOf(AttachmentTooLargeError);
      expect((await client.downloadAttachment(ref, { maxBytes: 64 * 1024 })).length).toBe(64 * 1024);
    },
  );

  filesTest(
    'refuses an unknown attachment, a message of another stream and a stream the bot is not in',
    async ({ sim, botClient: { client }, alice, roomId, otherRoomId }) => {
      const sent = await client.sendMessage(roomId, {
        message: '<messageML>f</messageML>',
        attachments: [{ filename: 'f.txt', content: Buffer.from('f') }],
      });
      const unknown = await client
        .downloadAttachment({ streamId: roomId, messageId: sent.messageId, attachmentId: 'nope' })
        .catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(ClientError);
      expect((unknown as ClientError).status).toBe(400);
      const { messageId } = sim.control.sendMessage(otherRoomId, {
        fromUserId: alice,
        text: 'secret',
        attachments: [{ name: 'secret.txt', content: Buffer.from('s') }],
      });
      const [info] = sim.control.listMessages(otherRoomId)[0]!.attachments!;
      const forbidden = await client
        .downloadAttachment({ streamId: otherRoomId, messageId, attachmentId: info!.id })
        .catch((e: unknown) => e);
      expect((forbidden as ClientError).status).toBe(403);
      const wrongStream = await client
        .downloadAttachment({ streamId: roomId, messageId, attachmentId: info!.id })
        .catch((e: unknown) => e);
      expect((wrongStream as ClientError).status).toBe(400);
    },
  );

  filesTest.for<[string, Attachment[], string]>([
    [
      '26 files',
      Array.from({ length: 26 }, (_, i) => ({ filename: `f${i}.txt`, content: Buffer.from('x') })),
      'count',
    ],
    [
      'more than 30 MB in all',
      [
        { filename: 'a.bin', content: Buffer.alloc(20 * 1024 * 1024) },
        { filename: 'b.bin', content: Buffer.alloc(10 * 1024 * 1024 + 1) },
      ],
      'total-size',
    ],
    ['a name without extension', [{ filename: 'README', content: Buffer.from('x') }], 'name'],
    ['a name with a path', [{ filename: '../etc/passwd.txt', content: Buffer.from('x') }], 'name'],
    ['a name with CR/LF', [{ filename: 'a\r\n.txt', content: Buffer.from('x') }], 'name'],
    ['an empty name', [{ filename: '', content: Buffer.from('x') }], 'name'],
  ])(
    'refuses %s before the call (AttachmentLimitError)',
    async ([_what, attachments, reason], { sim, botClient: { client }, roomId }) => {
      const before = creates(sim);
      const err = await client
        .sendMessage(roomId, { message: '<messageML>x</messageML>', attachments })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AttachmentLimitError);
      expect((err as AttachmentLimitError).code).toBe('SYMPHONY_ATTACHMENT_LIMIT');
      expect((err as AttachmentLimitError).reason).toBe(reason);
      expect(creates(sim)).toBe(before);
    },
  );

  filesTest('sends exactly 25 files', async ({ botClient: { client }, roomId }) => {
    const attachments = Array.from({ length: 25 }, (_, i) => ({
      filename: `f${i}.txt`,
      content: Buffer.from(`${i}`),
    }));
    const sent = await client.sendMessage(roomId, { message: '<messageML>25</messageML>', attachments });
    expect((sent.attachments as unknown[]).length).toBe(25);
  });
});

/** A message posted to the control API as JSON, the way the chat page posts one. */
const postJsonMessage = (sim: Simulator, streamId: string, body: unknown) =>
  fetch(`${sim.url}/_sim/streams/${streamId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('attachments through the control API (what the chat page uses)', () => {
  filesTest(
    'takes JSON with base64 content and multipart, and serves the raw bytes as a download',
    async ({ sim, alice, roomId }) => {
      const json = await postJsonMessage(sim, roomId, {
        fromUserId: alice,
        text: '',
        attachments: [{ name: 'a.txt', contentBase64: Buffer.from('from json').toString('base64') }],
      });
      expect(json.status).toBe(201);
      const form = new FormData();
      form.append('fromUserId', String(alice));
      form.append('text', 'see file');
      form.append('attachment', new Blob(['from multipart']), 'résumé final.txt');
      const multi = await fetch(`${sim.url}/_sim/streams/${roomId}/messages`, { method: 'POST', body: form });
      expect(multi.status).toBe(201);
      const { messageId } = (await multi.json()) as { messageId: string };
      const stored = sim.control.listMessages(roomId).find((m) => m.messageId === messageId)!;
      expect(stored.text).toBe('see file');
      const [info] = stored.attachments!;
      expect(info).toMatchObject({ name: 'résumé final.txt', size: 14 });
      expect(sim.control.attachmentContent(messageId, info!.id)?.toString()).toBe('from multipart');
      const res = await fetch(
        `${sim.url}/_sim/streams/${roomId}/messages/${messageId}/attachments/${encodeURIComponent(info!.id)}`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="r_sum_ final.txt"; filename*=UTF-8''${encodeURIComponent('résumé final.txt')}`,
      );
      expect(await res.text()).toBe('from multipart');
      const missing = await fetch(`${sim.url}/_sim/streams/${roomId}/messages/${messageId}/attachments/nope`);
      expect(missing.status).toBe(404);
    },
  );

  filesTest(
    'refuses a message with neither text nor files, and more than 30 MB of files',
    async ({ sim, alice, roomId }) => {
      const empty = await postJsonMessage(sim, roomId, { fromUserId: alice, text: ' ' });
      expect(empty.status).toBe(400);
      expect(() =>
        sim.control.sendMessage(roomId, {
          fromUserId: alice,
          text: 'too big',
          attachments: [{ name: 'big.bin', content: Buffer.alloc(30 * 1024 * 1024 + 1) }],
        }),
      ).toThrow(/30 MB/);
    },
  );
});

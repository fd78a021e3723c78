import { setTimeout as sleep } from 'node:timers/promises';
import { jsonSha256, parseEvent } from '@baton/shared';
import { type RawUser, rawMessageSent } from '@baton/shared/events';
import { runNode, waitFor } from '@baton/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allPaths,
  canonical,
  deeplyNested,
  leafPaths,
  mentionCommand,
  poisonEventTexts,
  toStandardBase64,
  without,
  withWrongType,
} from '../support/hostile-events.ts';
import { type PipelineStack, usePipelineStack } from '../support/pipeline-stack.ts';
import { scanForSecrets } from '../support/secret-scan.ts';
import { SERVICE_ENTRIES } from '../support/service-entries.ts';

// Hostile events straight into the bot's feed, hostile command text through a real client message: nothing
// crashes, every event Baton rejects is dead-lettered with a reason, every reply is accepted by the pod, and no
// credential reaches a log line.
const pipeline = usePipelineStack(
  {
    rooms: 2,
    users: 2,
    ingesters: 1,
    workers: 1,
    logLevel: 'debug',
    keepLogs: true,
    recordTokens: true,
    workerEnv: { HANDLER_ATTEMPTS: '2', HANDLER_BACKOFF_MS: '50' },
  },
  { startTimeoutMs: 90_000 },
);
let stack: PipelineStack;
let bot: RawUser;
let sender: RawUser;
let room: string;

beforeAll(() => {
  stack = pipeline();
  bot = { userId: stack.bot.userId, username: stack.bot.username, displayName: 'Chaos Bot' };
  sender = { userId: stack.userIds[0] as number, username: 'sender0', displayName: 'Sender 0' };
  room = stack.rooms[0] as string;
});

const inject = (raw: unknown) => stack.sim.control.injectEvent(stack.bot.userId, raw);
/** Injects an event given as JSON text through the control API, as any client would post it. */
async function injectText(eventText: string): Promise<void> {
  const res = await fetch(`${stack.sim.url}/_sim/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"userId":${stack.bot.userId},"event":${eventText}}`,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(204);
}
const replies = (streamId: string) => stack.botMessages(streamId).map((m) => m.text);
/** The DLQ by the sha256 of each raw event's JSON (a deep or huge raw event is stored as an excerpt only). */
const dlqRaws = async () =>
  new Map(
    (await stack.deadLetters()).map((d) => [
      d.data.v === 2 ? d.data.rawSha256 : jsonSha256(d.data.raw).sha256,
      d.data,
    ]),
  );

/** Sends `/echo <tag>` as a real client message and waits for the reply: the pipeline is still answering. */
async function stillAnswering(tag: string, streamId = stack.controlRoom): Promise<void> {
  stack.say(streamId, `@${stack.bot.username} /echo ${tag}`);
  await waitFor(
    `the reply to ${tag}`,
    () => replies(streamId).includes(tag),
    30_000,
    () => stack.allLogLines().slice(-20).join('\n'),
  );
}

function assertAllAlive(): void {
  for (const p of [...stack.ingesters, ...stack.workers]) {
    expect(p.running, p.tail(20)).toBe(true);
    expect(p.exits, `${p.name} restarted`).toEqual([]);
  }
}

describe('bad input drills', () => {
  it('dead-letters every malformed event with a reason, and keeps answering', async () => {
    const valid = rawMessageSent({ streamId: room, from: sender, ...mentionCommand(bot, '/echo template') });
    const hostile: { name: string; raw: unknown }[] = [
      { name: 'null', raw: null },
      { name: 'a number', raw: 42 },
      { name: 'a string that is not JSON', raw: 'just a string' },
      { name: 'an array', raw: [1, 2, 3] },
      { name: 'an empty object', raw: {} },
      { name: 'type of the wrong type', raw: { type: 42, id: 'x', payload: {} } },
      { name: 'unknown event type', raw: { ...valid, type: 'MESSAGEEXPLODED' } },
      { name: 'payload key not matching the type', raw: { ...valid, payload: { roomCreated: {} } } },
      {
        name: 'user id beyond the safe integer range',
        raw: { ...valid, initiator: { user: { userId: 2 ** 60, username: 'x' } } },
      },
      { name: 'nested 500 levels deep', raw: { ...valid, extra: deeplyNested(500) } },
    ];
    // Every field missing, and every leaf of the wrong type, one at a time.
    for (const path of allPaths(valid))
      hostile.push({ name: `missing ${path.join('.')}`, raw: without(valid, path) });
    for (const path of leafPaths(valid)) {
      hostile.push({ name: `wrong type at ${path.join('.')}`, raw: withWrongType(valid, path) });
    }
    // The model's verdict decides which must be dead-lettered; those it accepts must just not hurt.
    const mustDie = hostile.filter((h) => !parseEvent(JSON.parse(JSON.stringify(h.raw)) as unknown).ok);
    for (const name of [
      'null',
      'a number',
      'an array',
      'an empty object',
      'unknown event type',
      'nested 500 levels deep',
    ]) {
      expect(mustDie.map((h) => h.name)).toContain(name);
    }
    for (const h of hostile) inject(h.raw);
    await stillAnswering('after-malformed');

    const wanted = mustDie.map((h) => jsonSha256(JSON.parse(JSON.stringify(h.raw)) as unknown).sha256);
    let dead = await dlqRaws();
    await waitFor(
      'every malformed event in the DLQ',
      async () => {
        dead = await dlqRaws();
        return wanted.every((w) => dead.has(w));
      },
      20_000,
      () =>
        mustDie
          .filter((_, i) => !dead.has(wanted[i] as string))
          .map((h) => h.name)
          .join(', '),
    );
    for (const [i, h] of mustDie.entries()) {
      const entry = dead.get(wanted[i] as string);
      expect(entry?.stage, h.name).toBe('ingest');
      expect(entry?.reason.length, h.name).toBeGreaterThan(3);
    }
    console.log(
      `[bad-input] ${hostile.length} malformed variants, ${mustDie.length} rejected by the model and dead-lettered; ` +
        `e.g. ${[...dead.values()]
          .slice(0, 3)
          .map((d) => d.reason)
          .join(' | ')}`,
    );
    // The operator sees them too: `pnpm dlq list` lists every one with its stage and reason.
    const cli = await runNode(
      {
        name: 'dlq list',
        entry: SERVICE_ENTRIES.dlq,
        env: { ...stack.env, LOG_LEVEL: 'silent' },
        args: ['list', '--limit', '500'],
      },
      30_000,
    );
    expect(cli.code, cli.lines.slice(-30).join('\n')).toBe(0);
    const listed = cli.lines.filter((l) => /\singest\s/.test(l));
    expect(listed.length, cli.lines.slice(-30).join('\n')).toBeGreaterThanOrEqual(new Set(wanted).size);
    expect(cli.lines.at(-1)).toMatch(/\d+ shown, \d+ in the dead-letter queue/);
    // Accepted variants (an optional field missing, say) were handled like any event: nothing else broke.
    expect(replies(room).every((t) => t === 'template')).toBe(true);
    assertAllAlive();
  }, 60_000);

  it('dead-letters poison events (10,000 levels deep, 3 million items, 9 Mi characters, 600,000 keys) and answers the events after them', async () => {
    const room2 = stack.rooms[1] as string;
    const command = (tag: string) =>
      rawMessageSent({ streamId: room2, from: sender, ...mentionCommand(bot, `/echo ${tag}`) });
    const poison = poisonEventTexts(command('poison-template'));
    await injectText(JSON.stringify(command('before-poison')));
    for (const p of poison) await injectText(p.text);
    await injectText(JSON.stringify(command('after-poison')));
    // The feed keeps being read: the events behind the poison, in the same stream, are answered.
    await waitFor(
      'the replies around the poison',
      () => replies(room2).includes('before-poison') && replies(room2).includes('after-poison'),
      45_000,
      () => stack.allLogLines().slice(-20).join('\n'),
    );
    expect(replies(room2).filter((t) => t.endsWith('-poison'))).toEqual(['before-poison', 'after-poison']);
    const dead = await stack.deadLetters();
    for (const p of poison) {
      const sha = jsonSha256(JSON.parse(p.text) as unknown).sha256;
      const entry = dead.find((d) => d.data.v === 2 && d.data.rawSha256 === sha);
      expect(entry?.data.stage, p.name).toBe('ingest');
      expect(entry?.data.reason, p.name).toMatch(/nested deeper than 64 levels|larger than \d+ characters/);
    }
    // The feed was never lost on the way (a read failing forever would let it expire or be recreated).
    const feeds = stack.sim.control.stats().feeds.filter((f) => f.userId === stack.bot.userId);
    expect(feeds.some((f) => !f.expired)).toBe(true);
    expect(feeds.filter((f) => f.expiredReason === 'ttl' || f.expiredReason === 'capacity')).toEqual([]);
    console.log(
      `[bad-input] ${poison.length} poison events dead-lettered: ${poison.map((p) => p.name).join(', ')}`,
    );
    assertAllAlive();
  }, 90_000);

  it('survives 1.5 MB messages, deep PresentationML, invalid EntityJSON, wrong-base64 ids and replays', async () => {
    const room2 = stack.rooms[1] as string;
    const huge = 'x'.repeat(1.5 * 1024 * 1024);
    const hugeCommand = rawMessageSent({
      streamId: room2,
      from: sender,
      ...mentionCommand(bot, `/echo ${huge}`),
    });
    const hugeText = rawMessageSent({
      streamId: room2,
      from: sender,
      presentationML: `<div data-format="PresentationML" data-version="2.0"><p>${huge}</p></div>`,
    });
    const deep = rawMessageSent({
      streamId: room2,
      from: sender,
      presentationML: `<div data-format="PresentationML" data-version="2.0">${'<div>'.repeat(20_000)}deep${'</div>'.repeat(20_000)}</div>`,
    });
    const badEntities = rawMessageSent({
      streamId: room2,
      from: sender,
      presentationML: mentionCommand(bot, '/echo bad-entityjson').presentationML,
      data: '{"0": {"id": [ {"type": "com.symphony.user.userId", "value": ',
    });
    const entitiesNotObject = rawMessageSent({
      streamId: room2,
      from: sender,
      ...mentionCommand(bot, '/echo entities-array'),
      data: '[1, "two", null]',
    });
    const stdBase64 = rawMessageSent({
      streamId: toStandardBase64(room2),
      from: sender,
      ...mentionCommand(bot, '/echo std-base64'),
    });
    const replayed = rawMessageSent({
      streamId: room2,
      from: sender,
      ...mentionCommand(bot, '/echo replayed'),
    });
    for (const e of [hugeCommand, hugeText, deep, badEntities, entitiesNotObject, stdBase64, replayed])
      inject(e);
    await sleep(300);
    inject(replayed);
    inject(JSON.parse(JSON.stringify(replayed)));

    await stillAnswering('after-hostile', room2);
    await sleep(1_000); // a late duplicate of the replayed event would show now
    const texts = replies(room2);
    const dead = await stack.deadLetters();
    const deadOf = (e: unknown) => dead.find((d) => canonical(d.data.raw) === canonical(e))?.data;
    // Each outcome is the one docs/event-model.md documents.
    // EntityJSON that is not valid JSON, or not an object: refused at ingest (its mentions could not be read),
    // never answered.
    expect(deadOf(badEntities)).toMatchObject({
      stage: 'ingest',
      reason: 'payload.messageSent.message.data: EntityJSON is not valid JSON',
    });
    expect(texts).not.toContain('bad-entityjson');
    expect(deadOf(entitiesNotObject)).toMatchObject({
      stage: 'ingest',
      reason: 'payload.messageSent.message.data: EntityJSON is not a JSON object',
    });
    expect(texts).not.toContain('entities-array');
    // The id in standard base64 (the UI form) was normalised: accepted, answered in the right stream.
    expect(deadOf(stdBase64)).toBeUndefined();
    expect(texts).toContain('std-base64');
    // A replayed event id is answered once.
    expect(texts.filter((t) => t === 'replayed')).toHaveLength(1);
    // The 1.5 MB echo cannot be posted (the pod caps a message at 1.5 MB): the event is dead-lettered as a
    // handler failure, with the reason, and the user got the short apology instead of silence. (Refused by
    // the client's size check before the call, it is not retried: `SYMPHONY_MESSAGE_TOO_LARGE`; a pod's 400
    // would be retried N times first.)
    const hugeDead = deadOf(hugeCommand);
    expect(hugeDead?.stage).toBe('handle');
    expect(hugeDead?.reason).toMatch(/handler failed \(SYMPHONY_MESSAGE_TOO_LARGE\)|after \d+ attempts/);
    expect(hugeDead?.error?.message).toBeTruthy();
    // A 1.5 MB plain message (no command) is within the event model's bounds: accepted and handled, no reply.
    expect(deadOf(hugeText)).toBeUndefined();
    // PresentationML nested beyond 256 levels is refused at ingest (a tokenizer, no recursion), not a stack
    // overflow.
    expect(deadOf(deep)).toMatchObject({ stage: 'ingest' });
    expect(deadOf(deep)?.reason).toBe(
      'payload.messageSent.message.message: not well-formed PresentationML: elements nested deeper than 256',
    );
    // Everything else was either handled or dead-lettered with a reason, never lost silently or crashed on.
    for (const d of dead) expect(d.data.reason.length).toBeGreaterThan(3);
    // No bot message carries more than the pod accepted (every reply stored is a well-formed message).
    for (const m of stack.botMessages(room2))
      expect(m.presentationML).toMatch(/^<div data-format="PresentationML"/);
    assertAllAlive();
  }, 60_000);

  it('echoes MessageML-injection text literally, in replies the pod accepts', async () => {
    const attacks = [
      '</messageML><messageML>pwned',
      '<#',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${}` is the attack text
      '${}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the attack text
      '${user.name} #{x} {{x}}',
      ']]><![CDATA[',
      '<mention uid="1"/> &amp; &lt;b&gt;',
      '<form id="f"><button name="b">x</button></form>',
      '"\'><script>alert(1)</script>',
      '\u0000\u0007 control chars \u202e rtl',
    ];
    for (const a of attacks) stack.say(room, `@${stack.bot.username} /echo ${a}`);
    const expected = attacks.map((a) => a.replace(/\s+/g, ' ').trim());
    await waitFor(
      'every injection reply',
      () => replies(room).filter((t) => t !== 'template').length >= attacks.length,
      30_000,
      () => JSON.stringify(replies(room)),
    );
    const got = replies(room).filter((t) => t !== 'template');
    // Control characters may be dropped by the pod; everything visible comes back literally.
    const visible = (t: string | undefined) =>
      [...(t ?? '')]
        .filter((c) => c.charCodeAt(0) >= 0x20)
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
    for (const [i, e] of expected.entries()) expect(visible(got[i]), e).toBe(visible(e));
    // The bot never produced markup from user text: no reply has a <form>, <script> or a mention entity.
    for (const m of stack.botMessages(room)) {
      expect(m.presentationML).not.toMatch(/<form|<script|<button|data-entity-id/);
    }
    assertAllAlive();
  }, 60_000);

  it('writes no credential to any log line', async () => {
    const secrets = stack.proxy?.secrets() ?? [];
    expect(secrets.length).toBeGreaterThan(1); // tokens were issued and used, so the scan means something
    const lines = stack.allLogLines();
    expect(lines.length).toBeGreaterThan(20);
    const leaks = scanForSecrets(lines, { tokens: secrets, privateKeyPem: stack.privateKeyPem });
    expect(leaks).toEqual([]);
  });
});

import { createTestBot, type TestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import { createReferenceBot, type ReferenceBotConfig } from '../src/index.ts';

type Backlog = { pending: number; streams: number; oldestAgeMs: number | null };

function start(config: Partial<ReferenceBotConfig> = {}, backlog?: Backlog): TestBot {
  let now = () => 0;
  const bot = createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9', ...config }, { now: () => now() });
  const t = createTestBot(bot, backlog ? { backlog } : {});
  now = t.clock.now;
  return t;
}

describe('reference bot', () => {
  it('/help lists every command', async () => {
    const t = start();
    const [reply] = await t.send('@bot /help');
    for (const cmd of [
      '/echo',
      '/ping',
      '/room create',
      '/poll',
      '/poll close',
      '/quote',
      '/remind',
      '/feedback',
    ]) {
      expect(
        reply?.text.split('\n').some((line) => line.startsWith(`${cmd} `) || line.startsWith(`${cmd}:`)),
      ).toBe(true);
    }
  });

  it('/help shows argument names without type annotations, and each command its own examples', async () => {
    const t = start();
    const [reply] = await t.send('@bot /help');
    expect(reply?.text).toContain('/remind <minutes> <text>: ');
    expect(reply?.text).toContain('/room create <name> [@members…]: ');
    expect(reply?.text).not.toMatch(/:(number|string|text|int|mention)\b/);
    const [poll] = await t.send('@bot /help poll');
    const lines = poll?.text.split('\n') ?? [];
    const pollExamples = lines[lines.findIndex((l) => l.startsWith('/poll <question>')) + 1] ?? '';
    expect(pollExamples).toMatch(/^Examples: \/poll "Lunch\?"/);
    expect(pollExamples).not.toContain('/poll close');
    expect(poll?.text).toContain('/poll close: ');
  });

  it('says an @name that is no user of the pod is unknown', async () => {
    const [reply] = await start().send('@bot /room create desk @nobody');
    expect(reply?.text).toMatch(
      /^I don't know a user @nobody \(for members\): mention someone on this pod\. Usage: /,
    );
  });

  it('/echo repeats text, escaped', async () => {
    const t = start();
    const [reply] = await t.send('@bot /echo <i>hi</i> there');
    expect(reply?.text).toBe('<i>hi</i> there');
    expect(reply?.message).not.toContain('<i>');
  });

  it('/ping reports latency from the event timestamp and the backlog besides itself', async () => {
    const t = start({}, { pending: 3, streams: 2, oldestAgeMs: 1500 });
    const [reply] = await t.send('@bot /ping');
    expect(reply?.text).toBe(
      'pong: 0 ms from your message to my reply; backlog: 2 other event(s) waiting, the oldest for 1.5 s',
    );
    // Only the /ping itself in the mailboxes: nothing else waits.
    const [alone] = await start({}, { pending: 1, streams: 1, oldestAgeMs: 3 }).send('@bot /ping');
    expect(alone?.text).toBe('pong: 0 ms from your message to my reply; backlog: empty');
    const [plain] = await start().send('@bot /ping');
    expect(plain?.text).toMatch(/^pong: 0 ms .*backlog: unknown$/);
  });

  it('/room create makes the room, adds the members and welcomes them there', async () => {
    const t = start();
    const replies = await t.send('@bot /room create "Q3 desk" @bob @carol @bot');
    const [[attrs]] = t.client.callsOf('createRoom') as [[{ name: string }]];
    expect(attrs.name).toBe('Q3 desk');
    const roomId = [...t.client.rooms.keys()][0]!;
    expect(t.client.callsOf('addMember')).toEqual([
      [roomId, t.users.alice.userId],
      [roomId, t.users.bob.userId],
      [roomId, t.users.carol.userId],
    ]);
    const welcome = replies.find((r) => r.streamId === roomId);
    expect(welcome?.message).toContain(`<mention uid="${t.users.alice.userId}"/>`);
    expect(welcome?.text).toContain('Welcome to Q3 desk!');
    const confirmation = replies.find((r) => r.streamId === t.general.streamId);
    // The count and the list agree: you and the two people mentioned.
    expect(confirmation?.message).toMatch(
      new RegExp(
        `with 3 members: you, <mention uid="${t.users.bob.userId}"/>, <mention uid="${t.users.carol.userId}"/>\\.`,
      ),
    );
    const alone = await t.send('@bot /room create solo');
    expect(alone.at(-1)?.text).toBe('Created room solo with 1 member: you.');
  });

  it('/room create is safe to retry: the same event never creates a second room', async () => {
    const t = start();
    t.client.failNext('addMember', new Error('pod hiccup'));
    await expect(t.send('@bot /room create retry-desk @bob')).rejects.toThrow('pod hiccup');
    const event = t.events.at(-1)!;
    const replies = await t.emit(event);
    expect(t.client.callsOf('createRoom')).toHaveLength(1);
    expect(replies.some((r) => r.text.startsWith('Created room retry-desk with 2 members: you, '))).toBe(
      true,
    );
  });

  it('/room create can be limited to some users', async () => {
    const t = start({ roomCreators: [t0Carol] });
    const [reply] = await t.send('@bot /room create x');
    expect(reply?.text).toBe('Sorry, /room create is not available to you here.');
    expect(t.client.callsOf('createRoom')).toEqual([]);
  });

  it('/remind schedules a task that posts the reminder later', async () => {
    const t = start();
    const [ack] = await t.send('@bot /remind 5 call the desk');
    expect(ack?.text).toBe('OK, I will remind you in 5 minutes.');
    expect(await t.advance(4 * 60_000)).toEqual([]);
    const [reminder] = await t.advance(60_000);
    expect(reminder?.streamId).toBe(t.general.streamId);
    expect(reminder?.message).toContain(`<mention uid="${t.users.alice.userId}"/>`);
    expect(reminder?.text).toContain('reminder: call the desk');
    const [bad] = await t.send('@bot /remind -1 x');
    expect(bad?.text).toContain('Give a number of minutes');
    const [usage] = await t.send('@bot /remind soon x');
    expect(usage?.text).toContain(
      'soon is not a number (for minutes). Usage: /remind <minutes:number> <text>',
    );
  });

  it('/feedback asks two questions, validates, stores the result', async () => {
    const t = start();
    const im = t.im(t.users.bob);
    const bob = { from: t.users.bob, stream: im };
    expect((await t.send('/feedback', bob))[0]?.text).toContain('from 1 (poor) to 5 (great)');
    expect((await t.send('eleven', bob))[0]?.text).toBe('Please answer with a whole number from 1 to 5.');
    expect((await t.send('4', bob))[0]?.text).toBe('Thanks! What should we improve?');
    expect((await t.send('More charts please', bob))[0]?.text).toBe(
      'Thank you, Bob Chen! Your feedback is saved.',
    );
    expect(await t.state.get('feedback:2002')).toMatchObject({ rating: 4, comment: 'More charts please' });
    expect(await t.state.getFields('feedback:ratings')).toEqual({ '4': 1 });
    // The dialog is over: the next message is ordinary chat again (an IM hint, not a step).
    expect((await t.send('4', bob))[0]?.text).toContain('Try /help');
  });

  it('/feedback can be cancelled', async () => {
    const t = start();
    await t.send('@bot /feedback');
    expect((await t.send('cancel'))[0]?.text).toBe('No problem, feedback cancelled.');
    expect(await t.send('5')).toEqual([]);
  });

  it('welcomes people joining a room and greets a new IM', async () => {
    const t = start();
    const [welcome] = await t.userJoins(t.users.bob);
    expect(welcome?.message).toContain(`<mention uid="${t.users.bob.userId}"/>`);
    expect(welcome?.text).toContain('/help');
    const [greeting] = await t.openIm(t.users.carol);
    expect(greeting).toMatchObject({ streamId: t.im(t.users.carol).streamId });
    expect(greeting?.text).toBe("Hi Carol! I'm Baton Bot. Type /help to see what I can do.");
    // Members the bot adds itself (initiator = bot) are not welcomed twice.
    expect(await t.userJoins(t.users.bob, { by: t.botUser })).toEqual([]);
  });

  it('rate-limits a user who floods commands', async () => {
    const t = start({ commandsPerMinute: 2 });
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) texts.push(...(await t.send(`@bot /echo ${i}`)).map((r) => r.text));
    expect(texts).toEqual(['0', '1', 'You are sending commands too fast; please wait a moment.']);
  });
});

const t0Carol = 2003;

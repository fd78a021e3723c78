import { describe, expect, it } from 'vitest';
import { createBot, createMemoryStateStore, rateLimitPerUser } from '../src/index.ts';
import { crashAfter, createTestBot, SimulatedCrashError } from '../src/testkit/index.ts';

// The runtime delivers each event at least once: after a crash the same event (same event key) is handled
// again. These tests re-`emit` an event, which is what the runtime's retry looks like to the framework.

describe('retrying an event', () => {
  it('reaches the same dialog step, even though the first try already moved the dialog on', async () => {
    const seen: string[] = [];
    let crash = true;
    const bot = createBot()
      .command('/ask', {
        description: 'ask',
        handler: async (ctx) => {
          await ctx.expect('first');
          await ctx.reply('first?');
        },
      })
      .step('first', async (ctx) => {
        seen.push(`first:${ctx.text}`);
        await ctx.expect('second');
        if (crash) {
          crash = false;
          throw new Error('worker died here');
        }
        await ctx.reply('second?');
      })
      .step('second', async (ctx) => {
        seen.push(`second:${ctx.text}`);
        await ctx.reply('done');
      });
    const t = createTestBot(bot);
    await t.send('@bot /ask');
    await expect(t.send('one')).rejects.toThrow('worker died here');
    const retried = await t.emit(t.events.at(-1)!);
    expect(retried.map((r) => r.text)).toEqual(['second?']);
    expect((await t.send('two')).map((r) => r.text)).toEqual(['done']);
    expect(seen).toEqual(['first:one', 'first:one', 'second:two']);
  });

  it('schedules a task once: ctx.schedule is idempotent per event and rank', async () => {
    const bot = createBot()
      .command('/twice', {
        description: 'two tasks, then a failure on the first try',
        handler: async (ctx) => {
          await ctx.schedule(1_000, 'say', 'a');
          await ctx.schedule(2_000, 'say', 'b');
          if (ctx.meta?.attempt === 1) throw new Error('crash after scheduling');
          await ctx.reply('scheduled');
        },
      })
      .task('say', async (ctx) => {
        await ctx.reply(String(ctx.data));
      });
    const t = createTestBot(bot);
    await expect(t.send('@bot /twice')).rejects.toThrow('crash after scheduling');
    expect((await t.emit(t.events.at(-1)!)).map((r) => r.text)).toEqual(['scheduled']);
    expect(t.scheduled.map((s) => s.data)).toEqual(['a', 'b']);
    expect(new Set(t.scheduled.map((s) => s.id)).size).toBe(2);
    for (const s of t.scheduled) expect(s.id).toMatch(/^s[0-9a-f]{32}$/);
    expect((await t.runScheduled()).map((r) => r.text)).toEqual(['a', 'b']);
  });

  it('does not post a reply twice (the test kit dedupes by event and rank, as the runtime does)', async () => {
    let crash = true;
    const bot = createBot().command('/two', {
      description: 'two replies, crash on the first try between them',
      handler: async (ctx) => {
        await ctx.reply('one');
        if (crash) {
          crash = false;
          throw new Error('crash between replies');
        }
        await ctx.reply('two');
      },
    });
    const t = createTestBot(bot);
    await expect(t.send('@bot /two')).rejects.toThrow();
    expect((await t.emit(t.events.at(-1)!)).map((r) => r.text)).toEqual(['two']);
    expect(t.replies.map((r) => r.text)).toEqual(['one', 'two']);
    // A new event with the same text is a new event: it replies again.
    expect((await t.send('@bot /two')).map((r) => r.text)).toEqual(['one', 'two']);
  });

  it('rateLimitPerUser charges a retried event once', async () => {
    let failures = 1;
    const bot = createBot()
      .use(rateLimitPerUser({ limit: 2, windowSec: 60 }))
      .command('/flaky', {
        description: 'fails once',
        handler: async (ctx) => {
          if (failures-- > 0) throw new Error('flaky');
          await ctx.reply('ok');
        },
      });
    const t = createTestBot(bot, { state: createMemoryStateStore(), startTime: 0 });
    await expect(t.send('@bot /flaky')).rejects.toThrow('flaky');
    expect((await t.emit(t.events.at(-1)!)).map((r) => r.text)).toEqual(['ok']);
    expect(await t.emit(t.events.at(-1)!)).toEqual([]);
    // Three tries of one event are one command: a second command is still within the limit of 2.
    expect((await t.send('@bot /flaky')).map((r) => r.text)).toEqual(['ok']);
    expect((await t.send('@bot /flaky')).map((r) => r.text)).toEqual([
      'You are sending commands too fast; please wait a moment.',
    ]);
  });
});

describe('crashAfter (test kit)', () => {
  it('lets the write happen, then throws once', async () => {
    const store = createMemoryStateStore();
    const crashing = crashAfter(store, 'incrementField', 2);
    expect(await crashing.incrementField('h', 'f')).toBe(1);
    await expect(crashing.incrementField('h', 'f')).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(await store.getFields('h')).toEqual({ f: 2 });
    expect(await crashing.incrementField('h', 'f')).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

describe('ctx.late', () => {
  it('is false for an event delivered in order and true for one the runtime delivers late', async () => {
    const seen: boolean[] = [];
    const t = createTestBot(
      createBot().command('/order', {
        description: 'tells whether the event came in order',
        handler: async (ctx) => {
          seen.push(ctx.late);
          await ctx.reply(ctx.late ? 'late' : 'in order');
        },
      }),
    );
    const [first] = await t.send('@bot /order');
    expect(first?.text).toBe('in order');
    const event = t.events.at(-1);
    if (!event) throw new Error('no event');
    const [again] = await t.emit({ ...event, id: 'redelivered' }, { late: true });
    expect(again?.text).toBe('late');
    expect(seen).toEqual([false, true]);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { type Bot, createBot } from '@baton/bot';
import { replyText } from './bench-command.ts';

/** The Baton bot of the benchmarks: `/work <tag> <ms>` waits `ms` (I/O), then replies `done <tag>`. */
export function createBenchBot(): Bot {
  return createBot({ name: 'benchbot', help: false }).command('/work {tag} {ms:int}', {
    description: 'Benchmark work: wait ms, then reply with the tag',
    handler: async (ctx) => {
      await sleep(Math.max(0, ctx.args.ms));
      await ctx.reply(replyText(ctx.args.tag));
    },
  });
}

/** The bench bot as a bot module: the bench runs the worker's own main with `BOT_MODULE` pointing here. */
export default createBenchBot;

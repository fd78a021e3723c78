import { fileURLToPath } from 'node:url';
import { BATON_DLQ_USAGE, BATON_USAGE, DEV_USAGE, WORKER_USAGE } from './baton-usage.ts';
import { type BatonRequest, parseBatonArgs } from './parse-baton-args.ts';
import { UsageError } from './usage-error.ts';

// `baton` (the bin of @baton/worker): `baton dev` runs the whole stack for a bot on this machine, `baton worker`
// one production worker, `baton dlq …` the dead-letter tool. A wrong command line prints one line and exits 2.

let request: BatonRequest;
try {
  request = parseBatonArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

const HELP = { baton: BATON_USAGE, dev: DEV_USAGE, worker: WORKER_USAGE, dlq: BATON_DLQ_USAGE } as const;

switch (request.command) {
  case 'help':
    process.stdout.write(`${HELP[request.topic]}\n`);
    break;
  case 'dev': {
    const { runDev } = await import('../dev/run-dev.ts');
    const { askYesNo } = await import('../dev/ask-yes-no.ts');
    const code = await runDev(
      {
        sources: request.sources,
        ...(request.bot !== undefined ? { bot: request.bot } : {}),
        ...(request.defaultBot !== undefined ? { defaultBot: request.defaultBot } : {}),
        ...(request.workers !== undefined ? { workers: request.workers } : {}),
      },
      {
        env: process.env,
        projectDir: process.cwd(),
        // This file is <package>/src/cli/baton.ts or <package>/dist/cli/baton.js.
        workerDir: fileURLToPath(new URL('../..', import.meta.url)),
        write: (s) => process.stdout.write(s),
        colour: process.stdout.isTTY === true && !process.env['NO_COLOR'],
        ...(process.stdin.isTTY ? { confirm: askYesNo } : {}),
      },
    );
    process.exit(code);
    break;
  }
  case 'worker':
    // The worker process entry reads its whole configuration (BOT_MODULE included) from the environment.
    if (request.bot !== undefined) process.env['BOT_MODULE'] = request.bot;
    await import('../main.ts');
    break;
  case 'dlq': {
    const { runDlqCli } = await import('./run-dlq-cli.ts');
    process.exit(
      await runDlqCli(request.args, {
        env: process.env,
        cwd: process.cwd(),
        usage: BATON_DLQ_USAGE,
        invokedAs: 'baton dlq',
      }),
    );
    break;
  }
}

import { dlqUsage } from './run-dlq-command.ts';

/** `baton --help`. */
export const BATON_USAGE = `usage: baton <command> [options]

commands:
  dev      the whole stack for a bot on this machine: Redis, the pod simulator with its chat page, the
           ingester and the bot's workers (reloaded when the bot changes)
  worker   one worker process running the bot (production)
  dlq      list, show, replay or drop dead letters

Run baton <command> --help for its options.`;

/** `baton dev --help`. */
export const DEV_USAGE = `usage: baton dev [--bot <module>] [--default-bot <module>] [--workers N] [--sources]

Runs Redis, the pod simulator with its chat page, the ingester and N workers running the bot, plus the dashboard
when @baton/dashboard is installed, and prints their URLs. When the bot is a file, saving a file in its folder
restarts the workers. Ctrl-C stops everything.

options:
  --bot <module>   the bot: a file (./src/bot.ts; TypeScript runs through tsx) or a package name
                   (default: BOT_MODULE from the environment or .env, else ./src/bot.ts)
  --default-bot <module>  the bot when neither --bot nor BOT_MODULE names one (before ./src/bot.ts):
                   how the Baton repository's \`pnpm start\` runs the reference bot unless BOT_MODULE says otherwise
  --workers N      worker processes, 1-16 (default: WORKERS, else 2)
  --sources        run the Baton packages from their TypeScript sources where they have them (the Baton
                   repository's own dev loop; also BATON_DEV_SOURCES=true); default: their dist/
  -h, --help       show this help

The other settings are variables (environment or .env): REDIS_URL, SIM_PORT, DASHBOARD_PORT, OPS_PORT,
START_ON_CRASH... (docs/configuration.md, "baton dev").`;

/** `baton worker --help`. */
export const WORKER_USAGE = `usage: baton worker [--bot <module>]

Runs one worker process: reads its configuration from the environment (SYMPHONY_*, REDIS_URL, BOT_MODULE...),
loads the bot and drains the mailboxes; SIGTERM finishes the events in hand, then exits.

options:
  --bot <module>   the bot (sets BOT_MODULE): a file (./dist/bot.js) or a package name
  -h, --help       show this help`;

/** `baton dlq --help`. */
export const BATON_DLQ_USAGE = dlqUsage('baton dlq');

import { runDlqCli } from './run-dlq-cli.ts';

// `pnpm dlq list | show <id> | replay <id|--all> | drop <id|--all --yes>`: operator tool for the dead-letter
// queue (also `baton dlq …`). `pnpm dlq --help` for the options.
process.exit(await runDlqCli(process.argv.slice(2), { env: process.env, cwd: process.cwd() }));

import { runDlqCli } from './run-dlq-cli.ts';

// `pnpm dlq list | show <id> | replay <id|--all> | drop <id|--all>`: operator tool for the dead-letter queue
// (also `baton dlq …`).
process.exit(await runDlqCli(process.argv.slice(2), { env: process.env }));

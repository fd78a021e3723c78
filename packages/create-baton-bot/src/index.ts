#!/usr/bin/env node
import { runCli } from './run-cli.ts';

// Process entry of `pnpm create baton-bot <dir>`: argv in, exit code out.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

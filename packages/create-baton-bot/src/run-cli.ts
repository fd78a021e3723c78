import { isAbsolute, relative, sep } from 'node:path';
import { readOwnVersion } from './package-root.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { scaffold } from './scaffold.ts';
import { ScaffoldError } from './scaffold-error.ts';
import { shellQuote } from './shell-quote.ts';
import { usage } from './usage.ts';
import { UsageError } from './usage-error.ts';

export interface CliIo {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Directory relative paths are printed against. Default `process.cwd()`. */
  cwd?: string;
}

/** Exit codes: 0 done (or `--help`), 2 bad input (one line on stderr), 1 anything unexpected. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const request = parseCliArgs(argv);
    if (request.help) {
      io.out(usage(`^${await readOwnVersion()}`));
      return 0;
    }
    const { dir, files } = await scaffold(request);
    // `cd` the way the user would type it: relative when below the current folder, else absolute.
    const rel = relative(io.cwd ?? process.cwd(), dir);
    const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
    io.out(`Created ${dir} (${files.length} files).`);
    io.out('');
    io.out('Next steps:');
    if (rel !== '') io.out(`  cd ${shellQuote(outside ? dir : rel)}`);
    io.out('  pnpm install');
    io.out('  pnpm dev       # a local pod simulator + your bot; open the chat page it prints');
    io.out('  pnpm test');
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`create-baton-bot: ${error.message} (see create-baton-bot --help)`);
      return 2;
    }
    if (error instanceof ScaffoldError) {
      io.err(`create-baton-bot: ${error.message}`);
      return 2;
    }
    io.err(`create-baton-bot: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

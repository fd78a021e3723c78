import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** What a `baton …` command line asks for. */
export type BatonRequest =
  | { command: 'help'; topic: 'baton' | 'dev' | 'worker' | 'dlq' }
  | { command: 'dev'; bot?: string; defaultBot?: string; workers?: number; sources: boolean }
  | { command: 'worker'; bot?: string }
  /** The DLQ tool parses its own arguments (`list --limit N`, `replay --all`…). */
  | { command: 'dlq'; args: string[] };

const COMMANDS = ['dev', 'worker', 'dlq'] as const;

/** node:util's messages, cut to their first sentence (`Unknown option '--x'. To specify…`). */
function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? error.code : undefined;
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined)
    return `unexpected argument ${quoted}`;
  const first = error.message.split(/\.\s/)[0] ?? error.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** parseArgs, strict, no positionals, with `--help`/`-h` beside the command's own options. */
function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { ...options, help: { type: 'boolean', short: 'h', default: false } } as const,
  }).values;
}

/** A `--bot`-like value: a module to load, so not empty. */
function moduleFlag(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs a module: a file or a package name`);
  return value;
}

function parseDev(args: string[]): BatonRequest {
  const values = parseOptions(args, {
    bot: { type: 'string' },
    'default-bot': { type: 'string' },
    workers: { type: 'string' },
    sources: { type: 'boolean', default: false },
  });
  if (values.help) return { command: 'help', topic: 'dev' };
  const request: Extract<BatonRequest, { command: 'dev' }> = { command: 'dev', sources: values.sources };
  const bot = moduleFlag('--bot', values.bot);
  if (bot !== undefined) request.bot = bot;
  const fallback = moduleFlag('--default-bot', values['default-bot']);
  if (fallback !== undefined) request.defaultBot = fallback;
  if (values.workers !== undefined) {
    const n = Number(values.workers);
    if (!/^\d+$/.test(values.workers) || n < 1 || n > 16) {
      throw new UsageError(`--workers expects a number from 1 to 16, got "${values.workers}"`);
    }
    request.workers = n;
  }
  return request;
}

function parseWorker(args: string[]): BatonRequest {
  const values = parseOptions(args, { bot: { type: 'string' } });
  if (values.help) return { command: 'help', topic: 'worker' };
  const bot = moduleFlag('--bot', values.bot);
  return bot !== undefined ? { command: 'worker', bot } : { command: 'worker' };
}

/**
 * Parses `baton <command> [options]` (node:util parseArgs, strict). Throws UsageError, whose message is one line
 * naming the command (`baton dev: unknown option --x`), for an unknown command or option or a bad value.
 */
export function parseBatonArgs(argv: readonly string[]): BatonRequest {
  const [command, ...rest] = argv;
  if (command === undefined) {
    throw new UsageError('baton: missing the command: dev, worker or dlq (baton --help)');
  }
  if (command === '--help' || command === '-h' || command === 'help')
    return { command: 'help', topic: 'baton' };
  if (command.startsWith('-')) throw new UsageError(`baton: unknown option ${command} (baton --help)`);
  switch (command) {
    case 'dlq':
      return rest[0] === '--help' || rest[0] === '-h'
        ? { command: 'help', topic: 'dlq' }
        : { command: 'dlq', args: rest };
    case 'dev':
    case 'worker':
      try {
        return command === 'dev' ? parseDev(rest) : parseWorker(rest);
      } catch (error) {
        const message = error instanceof UsageError ? error.message : describeParseError(error);
        throw new UsageError(`baton ${command}: ${message} (baton ${command} --help)`);
      }
    default:
      throw new UsageError(
        `baton: unknown command ${command}: expected ${COMMANDS.join(', ')} (baton --help)`,
      );
  }
}

import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** What a `pnpm dlq …` command line asks for. */
export type DlqRequest =
  | { command: 'help' }
  | { command: 'list'; limit: number; offset: number; json: boolean }
  | { command: 'show'; id: string; json: boolean }
  | { command: 'replay'; target: { id: string } | 'all'; json: boolean }
  | { command: 'drop'; target: { id: string } | 'all'; json: boolean };

/** `list --limit` bounds. */
export const LIST_MAX_LIMIT = 10_000;
export const LIST_DEFAULT_LIMIT = 50;

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

const COMMON = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const OPTIONS = {
  list: { ...COMMON, limit: { type: 'string' }, offset: { type: 'string' } },
  show: { ...COMMON },
  replay: { ...COMMON, all: { type: 'boolean', default: false } },
  drop: {
    ...COMMON,
    all: { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
  },
} as const satisfies Record<string, Options>;

type Command = keyof typeof OPTIONS;
const isCommand = (s: string): s is Command => Object.hasOwn(OPTIONS, s);

/** node:util's messages, cut to their first sentence (`Unknown option '--x'. To specify…`). */
function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^' ]+)[^']*'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined)
    return `option ${quoted} needs a value`;
  const first = error.message.split(/\.\s/)[0] ?? error.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function count(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} expects a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function oneTarget(cmd: 'replay' | 'drop', positionals: string[], all: boolean): { id: string } | 'all' {
  if (all && positionals.length > 0) throw new UsageError(`${cmd}: give an id or --all, not both`);
  if (all) return 'all';
  const [id, ...extra] = positionals;
  if (id === undefined || id === '') throw new UsageError(`${cmd}: missing the dead letter id (or --all)`);
  if (extra.length > 0)
    throw new UsageError(`${cmd}: unexpected argument ${extra[0]} (one id at a time, or --all)`);
  return { id };
}

/**
 * Parses `<command> [options]` of the DLQ tool (node:util parseArgs, strict). Throws UsageError, whose message is
 * one line naming the command and ending with how to get help, for an unknown command or option or a bad value.
 */
export function parseDlqArgs(argv: readonly string[], invokedAs = 'pnpm dlq'): DlqRequest {
  const [cmd, ...rest] = argv;
  const help = `(${invokedAs} --help)`;
  if (cmd === undefined)
    throw new UsageError(`${invokedAs}: missing the command: list, show, replay or drop ${help}`);
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') return { command: 'help' };
  if (!isCommand(cmd)) {
    const what = cmd.startsWith('-') ? 'option' : 'command';
    throw new UsageError(`${invokedAs}: unknown ${what} ${cmd}: expected list, show, replay or drop ${help}`);
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: OPTIONS[cmd],
      strict: true,
      allowPositionals: true,
    });
    const v = values as {
      json: boolean;
      help: boolean;
      limit?: string;
      offset?: string;
      all?: boolean;
      yes?: boolean;
    };
    if (v.help) return { command: 'help' };
    switch (cmd) {
      case 'list':
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
        return {
          command: 'list',
          limit: count('limit', v.limit, LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT),
          offset: count('offset', v.offset, 0, 0, Number.MAX_SAFE_INTEGER),
          json: v.json,
        };
      case 'show': {
        const [id, ...extra] = positionals;
        if (id === undefined || id === '') throw new UsageError('missing the dead letter id');
        if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
        return { command: 'show', id, json: v.json };
      }
      case 'replay':
        return { command: 'replay', target: oneTarget('replay', positionals, v.all === true), json: v.json };
      case 'drop': {
        const target = oneTarget('drop', positionals, v.all === true);
        if (target === 'all' && !v.yes) {
          throw new UsageError('drop --all deletes every dead letter for good: add --yes to confirm');
        }
        return { command: 'drop', target, json: v.json };
      }
    }
  } catch (error) {
    const message = error instanceof UsageError ? error.message : describeParseError(error);
    throw new UsageError(`${invokedAs} ${cmd}: ${message} ${help}`);
  }
}

import { parseArgs } from 'node:util';
import type { ScaffoldOptions } from './scaffold.ts';
import { UsageError } from './usage-error.ts';

/** What the command line asks for. */
export type CliRequest = { help: true } | ({ help: false } & ScaffoldOptions);

/** `create-baton-bot <dir> [--name n] [--baton-version r] [--tarballs d] [--force] [--help]`. */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [dir, ...extra] = positionals;
  if (dir === undefined || dir === '')
    throw new UsageError('missing the folder to create, e.g. `create-baton-bot my-bot`');
  if (extra.length > 0)
    throw new UsageError(`expected one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const request: CliRequest = { help: false, dir, force: values.force };
  if (values.name !== undefined) request.name = values.name;
  if (values['baton-version'] !== undefined) request.batonVersion = values['baton-version'];
  if (values.tarballs !== undefined) request.tarballs = values.tarballs;
  return request;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'baton-version': { type: 'string' },
      tarballs: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** node:util's messages, cut to their first sentence (`Unknown option '--x'. To specify…`). */
function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1];
    if (option !== undefined) return `unknown option ${option}`;
  }
  const first = error.message.split(/\.\s/)[0] ?? error.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

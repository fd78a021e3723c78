import {
  type DeadLetterEntry,
  type DeadLetters,
  NotReplayableError,
  UnknownDeadLetterError,
  whyNotReplayable,
} from '@baton/shared';
import { deadLetterJson, deadLetterLine } from './format-dead-letter.ts';
import { type DlqRequest, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, parseDlqArgs } from './parse-dlq-args.ts';
import { UsageError } from './usage-error.ts';

/** The usage text of the DLQ tool, as invoked by `command` (`pnpm dlq`, `baton dlq`). */
export const dlqUsage = (command: string): string => `usage: ${command} <command> [options]

commands:
  list [--limit N] [--offset N]   dead letters, oldest first, one line each (with the last error's class and
                                  message); --limit 1-${LIST_MAX_LIMIT}, default ${LIST_DEFAULT_LIMIT}
  show <id>                       one dead letter in full (raw event, error, stack)
  replay <id> | --all             put handle-stage events back at the tail of their stream's mailbox (and
                                  failed scheduled tasks back on their queue); invalid input is skipped
  drop <id> | --all --yes         delete dead letters (--all needs --yes)

options:
  --json       machine-readable output on stdout (one JSON document)
  -h, --help   show this help

Redis: REDIS_URL (or REDIS_SENTINELS / REDIS_CLUSTER_NODES) and BATON_PREFIX; when REDIS_URL is unset, the
stack that \`baton dev\` / \`pnpm start\` recorded in BATON_HOME/stack.json (default ./.baton), else
redis://127.0.0.1:6379. The Redis and prefix read are printed on stderr. Exit codes: 0 done, 1 failed (unknown
id, not replayable, Redis unreachable), 2 bad command line or configuration.`;

export const DLQ_USAGE = dlqUsage('pnpm dlq');

/** Which Redis the command reads (printed by the CLI, and part of every --json document). */
export interface DlqTargetInfo {
  redis: string;
  prefix: string;
  source: string;
}

export interface DlqCommandDeps {
  deadLetters: DeadLetters;
  out: (s: string) => void;
  err: (s: string) => void;
  usage?: string;
  /** `pnpm dlq` or `baton dlq`, for usage messages. */
  invokedAs?: string;
  target?: DlqTargetInfo;
}

const PAGE = 500;

/** Every entry, read page by page before anything changes (so a replay that fails again is not seen twice). */
async function snapshot(dlq: DeadLetters): Promise<DeadLetterEntry[]> {
  const seen = new Map<string, DeadLetterEntry>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await dlq.list({ offset, limit: PAGE });
    for (const e of page) seen.set(e.id, e);
    if (page.length < PAGE) return [...seen.values()];
  }
}

/**
 * Runs one DLQ command (a parsed request, or the command line to parse); returns the process exit code: 0 done,
 * 1 unknown id or not replayable, 2 bad command line. Output goes through `out` (results) and `err` (progress,
 * problems).
 */
export async function runDlqCommand(
  input: DlqRequest | readonly string[],
  deps: DlqCommandDeps,
): Promise<number> {
  const { deadLetters: dlq, out, err } = deps;
  const usage = deps.usage ?? DLQ_USAGE;
  let request: DlqRequest;
  try {
    request = Array.isArray(input) ? parseDlqArgs(input, deps.invokedAs) : (input as DlqRequest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(error.message);
    return 2;
  }
  const meta = deps.target ? { redis: deps.target.redis, prefix: deps.target.prefix } : {};
  const json = (doc: Record<string, unknown>) => out(JSON.stringify({ ...meta, ...doc }, null, 2));
  try {
    switch (request.command) {
      case 'help':
        out(usage);
        return 0;
      case 'list': {
        const entries = await dlq.list({ offset: request.offset, limit: request.limit });
        const total = await dlq.count();
        if (request.json) {
          json({
            total,
            offset: request.offset,
            entries: entries.map((e) => deadLetterJson(e, { full: false })),
          });
          return 0;
        }
        for (const e of entries) out(deadLetterLine(e));
        out(`${entries.length} shown, ${total} in the dead-letter queue`);
        return 0;
      }
      case 'show': {
        const e = await dlq.show(request.id);
        if (!e) throw new UnknownDeadLetterError(request.id);
        const doc = deadLetterJson(e, { full: true });
        if (request.json) json({ entry: doc });
        else out(JSON.stringify(doc, null, 2));
        return 0;
      }
      case 'replay': {
        if (request.target !== 'all') {
          const r = await dlq.replay(request.target.id);
          if (request.json) json({ replayed: [r], skipped: [] });
          else out(`replayed ${r.id} -> stream ${r.streamId} (key ${r.key})`);
          return 0;
        }
        const entries = await snapshot(dlq);
        const replayed: { id: string; streamId: string; key: string }[] = [];
        const skipped: { id: string; why: string }[] = [];
        err(`replay --all: ${entries.length} dead letters`);
        let done = 0;
        for (const e of entries) {
          const why = whyNotReplayable(e);
          if (why !== undefined) skipped.push({ id: e.id, why });
          else {
            try {
              replayed.push(await dlq.replay(e.id));
            } catch (error) {
              // Gone meanwhile (dropped, or replayed by someone else), or refused on a closer look.
              if (!(error instanceof NotReplayableError || error instanceof UnknownDeadLetterError))
                throw error;
              skipped.push({ id: e.id, why: error.message });
            }
          }
          done++;
          if (done % 100 === 0 && done < entries.length) {
            err(`  ${done}/${entries.length}: replayed ${replayed.length}, skipped ${skipped.length}`);
          }
        }
        if (request.json) json({ replayed, skipped });
        else {
          out(
            `replayed ${replayed.length}, skipped ${skipped.length} (ingest-stage entries can only be shown and dropped)`,
          );
        }
        return 0;
      }
      case 'drop': {
        if (request.target === 'all') {
          const dropped = await dlq.dropAll();
          if (request.json) json({ dropped });
          else out(`dropped ${dropped}`);
          return 0;
        }
        const { id } = request.target;
        if (!(await dlq.drop(id))) throw new UnknownDeadLetterError(id);
        if (request.json) json({ dropped: 1, id });
        else out(`dropped ${id}`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UnknownDeadLetterError || error instanceof NotReplayableError) {
      if ('json' in request && request.json) json({ error: { code: error.code, message: error.message } });
      err(error.message);
      return 1;
    }
    throw error;
  }
}

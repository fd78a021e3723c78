import type { DeadLetterEntry, DeadLetters } from '../runtime/dead-letters.ts';
import { NotReplayableError, UnknownDeadLetterError } from '../runtime/runtime-errors.ts';

/** The usage text of the DLQ tool, as invoked by `command` (`pnpm dlq`, `baton dlq`). */
export const dlqUsage = (command: string): string => `usage: ${command} <command>
  list [--limit N] [--offset N]   dead letters, one line each
  show <id>                       one dead letter in full (raw event, error, stack)
  replay <id> | --all             put handle-stage events back at the tail of their stream's mailbox
  drop <id> | --all               delete dead letters`;

export const DLQ_USAGE = dlqUsage('pnpm dlq');

function line(e: DeadLetterEntry): string {
  const d = e.data;
  const when = d.failedAt ? new Date(d.failedAt).toISOString() : '-';
  const attempts = d.attempts === undefined ? '' : ` attempts=${d.attempts}`;
  const invalid = e.invalid ? ' (unreadable entry)' : '';
  return `${e.id}  ${d.stage.padEnd(6)}  ${when}  stream=${d.streamId ?? '-'}${attempts}  ${d.reason}${invalid}`;
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const n = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

async function allIds(dlq: DeadLetters): Promise<DeadLetterEntry[]> {
  const out: DeadLetterEntry[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await dlq.list({ offset, limit: 500 });
    out.push(...page);
    if (page.length < 500) return out;
  }
}

/** Runs one `pnpm dlq` command; returns the process exit code. Output goes through `out`/`err`. */
export async function runDlqCommand(
  argv: string[],
  deps: { deadLetters: DeadLetters; out: (s: string) => void; err: (s: string) => void; usage?: string },
): Promise<number> {
  const { deadLetters: dlq, out, err } = deps;
  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case 'list': {
        const entries = await dlq.list({
          offset: flag(args, '--offset', 0),
          limit: flag(args, '--limit', 50),
        });
        const total = await dlq.count();
        for (const e of entries) out(line(e));
        out(`${entries.length} shown, ${total} in the dead-letter queue`);
        return 0;
      }
      case 'show': {
        const id = args[0];
        if (!id) break;
        const e = await dlq.show(id);
        if (!e) throw new UnknownDeadLetterError(id);
        out(JSON.stringify({ id: e.id, ...e.data, ...(e.invalid ? { invalid: e.invalid } : {}) }, null, 2));
        return 0;
      }
      case 'replay': {
        const target = args[0];
        if (!target) break;
        if (target !== '--all') {
          const r = await dlq.replay(target);
          out(`replayed ${r.id} -> stream ${r.streamId} (key ${r.key})`);
          return 0;
        }
        let replayed = 0;
        let skipped = 0;
        for (const e of await allIds(dlq)) {
          try {
            await dlq.replay(e.id);
            replayed++;
          } catch (error) {
            if (!(error instanceof NotReplayableError)) throw error;
            skipped++;
          }
        }
        out(`replayed ${replayed}, skipped ${skipped} (ingest-stage entries can only be shown and dropped)`);
        return 0;
      }
      case 'drop': {
        const target = args[0];
        if (!target) break;
        if (target === '--all') {
          out(`dropped ${await dlq.dropAll()}`);
          return 0;
        }
        if (!(await dlq.drop(target))) throw new UnknownDeadLetterError(target);
        out(`dropped ${target}`);
        return 0;
      }
      default:
        break;
    }
  } catch (error) {
    if (error instanceof UnknownDeadLetterError || error instanceof NotReplayableError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
  err(deps.usage ?? DLQ_USAGE);
  return 2;
}

import { type DeadLetterEntry, whyNotReplayable } from '@baton/shared';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Stored text is untrusted (a reason quotes the event, an error message quotes whatever the handler saw):
 * control characters (terminal escapes, newlines) are shown escaped, and the text is cut to `max`.
 */
export function printable(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of `list`: id, stage, when, stream, attempts, reason, and the last error's class and message. */
export function deadLetterLine(e: DeadLetterEntry): string {
  const d = e.data;
  const when = d.failedAt ? new Date(d.failedAt).toISOString() : '-';
  const attempts = d.attempts === undefined ? '' : `  attempts=${d.attempts}`;
  const invalid = e.invalid ? ' (unreadable entry)' : '';
  const truncated = d.v === 2 && d.rawTruncated ? ' (raw event truncated)' : '';
  const error = d.error ? `  error=${printable(d.error.name, 80)}: ${printable(d.error.message, 160)}` : '';
  return `${e.id}  ${d.stage.padEnd(6)}  ${when}  stream=${printable(d.streamId ?? '-', 80)}${attempts}  ${printable(d.reason, 200)}${invalid}${truncated}${error}`;
}

/** An entry for `--json` and `show`: its data, plus whether `replay` would take it (and why not). */
export function deadLetterJson(e: DeadLetterEntry, opts: { full: boolean }): Record<string, unknown> {
  const { raw, error, ...rest } = e.data;
  const why = whyNotReplayable(e);
  return {
    id: e.id,
    ...rest,
    ...(error
      ? {
          error: opts.full
            ? error
            : { name: error.name, message: error.message, ...(error.code ? { code: error.code } : {}) },
        }
      : {}),
    replayable: why === undefined,
    ...(why === undefined ? {} : { notReplayable: why }),
    ...(e.invalid ? { invalid: e.invalid } : {}),
    ...(opts.full ? { raw } : {}),
  };
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Level names (the pod simulator's console logger writes them instead of pino's numbers). */
const LEVEL_NUMBERS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** pino's own fields and the ones every line of a service repeats (shown once, by the prefix). */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'service', 'v']);

export interface FormattedLine {
  text: string;
  /** pino level (30 = info) when the line was a pino record. */
  level?: number;
}

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  return d.toISOString().slice(11, 23);
}

function show(value: unknown): string {
  if (typeof value === 'string') return /\s|=/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One pino JSON line (or the simulator's, whose level is a name) as `HH:MM:SS.mmm LEVEL message key=value ...` (an error's message inline, its stack on the
 * following lines for level >= error). Anything that is not a pino record comes back unchanged.
 */
export function formatLogLine(line: string): FormattedLine {
  if (!line.startsWith('{')) return { text: line };
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { text: line };
    record = parsed as Record<string, unknown>;
  } catch {
    return { text: line };
  }
  const rawLevel = record['level'];
  const level =
    typeof rawLevel === 'number'
      ? rawLevel
      : typeof rawLevel === 'string'
        ? LEVEL_NUMBERS[rawLevel]
        : undefined;
  if (level === undefined) return { text: line };
  const parts = [clock(record['time']), LEVELS[level] ?? String(level), String(record['msg'] ?? '')];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    if ((key === 'err' || key === 'error') && typeof value === 'object' && value !== null) {
      // `name` is serializeError's (the logger's err serializer); `type` is pino's standard serializer's.
      type Err = {
        message?: unknown;
        name?: unknown;
        type?: unknown;
        code?: unknown;
        stack?: unknown;
        cause?: unknown;
      };
      const describe = (e: Err): string =>
        `${String(e.name ?? e.type ?? 'Error')}${e.code ? `[${String(e.code)}]` : ''}: ${String(e.message ?? '')}`;
      const err = value as Err;
      const cause =
        typeof err.cause === 'object' && err.cause !== null ? ` (cause: ${describe(err.cause as Err)})` : '';
      parts.push(`${key}=${show(`${describe(err)}${cause}`)}`);
      if (level >= 50 && typeof err.stack === 'string') stack = err.stack.split('\n').slice(1).join('\n');
      continue;
    }
    parts.push(`${key}=${show(value)}`);
  }
  return { text: stack ? `${parts.join(' ')}\n${stack}` : parts.join(' '), level };
}

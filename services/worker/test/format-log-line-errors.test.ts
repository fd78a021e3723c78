import { Writable } from 'node:stream';
import { createLogger, ServerError } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/dev/format-log-line.ts';

describe('baton dev log formatter: errors', () => {
  it('shows a logged error\'s name, code, message and cause (never "Object: …")', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk).trim());
        cb();
      },
    });
    const logger = createLogger({ destination });
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    logger.warn({ err: new ServerError('HTTP 500', { status: 500, cause }) }, 'send failed');
    const { text } = formatLogLine(lines[0] ?? '');
    expect(text).toMatch(
      /WARN {2}send failed err="ServerError\[SYMPHONY_SERVER_ERROR\]: HTTP 500 \(cause: Error\[ECONNRESET\]: socket hang up\)"$/,
    );
    expect(text).not.toContain('Object');
  });
});

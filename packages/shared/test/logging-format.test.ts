import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serializeError } from '../src/errors/index.ts';
import { childLogger, createLogger } from '../src/logging/index.ts';
import { ServerError } from '../src/symphony/errors.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

/** How often `"key":` occurs at the top level of one JSON line (JSON.parse would hide a repeat). */
function occurrences(line: string, key: string): number {
  return line.split(`"${key}":`).length - 1;
}

describe('log lines', () => {
  it('childLogger: a nested component replaces the parent’s instead of repeating the key; other bindings stay', () => {
    const { lines, destination } = capture();
    const root = createLogger({ level: 'debug', name: 'worker', destination });
    const worker = childLogger(root, { component: 'worker', workerId: 'w1' });
    const client = childLogger(worker, { component: 'symphony-client' });
    const auth = childLogger(client, { component: 'symphony-auth' });
    auth.info({ path: '/login/pubkey/authenticate' }, 'authenticated');
    client.info('call');
    worker.info('worker line');
    const [authLine, clientLine, workerLine] = lines as [string, string, string];
    for (const line of lines) expect(occurrences(line, 'component'), line).toBe(1);
    expect(JSON.parse(authLine)).toMatchObject({
      name: 'worker',
      component: 'symphony-auth',
      workerId: 'w1',
      path: '/login/pubkey/authenticate',
    });
    expect(JSON.parse(clientLine).component).toBe('symphony-client');
    expect(JSON.parse(workerLine).component).toBe('worker');
    // pino's own child() appends, which is what childLogger avoids.
    root.child({ component: 'a' }).child({ component: 'b' }).info('raw');
    expect(occurrences(lines.at(-1) ?? '', 'component')).toBe(2);
  });

  it('childLogger: the child takes the parent’s level', () => {
    const { lines, destination } = capture();
    const root = createLogger({ level: 'info', destination });
    const quiet = childLogger(root, { component: 'quiet' });
    quiet.level = 'warn';
    const inner = childLogger(quiet, { component: 'inner' });
    inner.info('dropped');
    inner.warn('kept');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['kept']);
  });

  it('serialises err with serializeError: name, code, message, stack and cause, whether given an Error or its serialised form', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new ServerError('HTTP 500 from /agent/v4/stream/s1/message/create', { status: 500, cause });
    logger.error({ err: error }, 'as an Error');
    logger.error({ err: serializeError(error) }, 'already serialised');
    for (const line of lines) {
      const { err } = JSON.parse(line) as { err: Record<string, unknown> };
      expect(err).toMatchObject({
        name: 'ServerError',
        code: error.code,
        message: 'HTTP 500 from /agent/v4/stream/s1/message/create',
        stack: expect.stringContaining('ServerError'),
        cause: { name: 'Error', code: 'ECONNRESET', message: 'socket hang up' },
      });
      expect(err).not.toHaveProperty('type');
      expect(line).not.toContain('"Object"');
    }
    logger.warn({ err: 'plain text' }, 'a non-error');
    expect(JSON.parse(lines.at(-1) ?? '{}').err).toEqual({ name: 'NonError', message: 'plain text' });
  });
});

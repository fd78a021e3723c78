import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger redaction', () => {
  it('never writes secret values, whatever the shape they are logged in', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', name: 'test', destination });
    const secrets = Array.from({ length: 22 }, (_, i) => `SECRET-${i}-x`);
    let i = 0;
    const s = () => secrets[i++]!;
    logger.info({
      sessionToken: s(),
      keyManagerToken: s(),
      token: s(),
      authorization: s(),
      Authorization: s(),
    });
    logger.info({ privateKey: s(), privateKeyPem: s(), password: s() });
    logger.info({ auth: { sessionToken: s(), keyManagerToken: s(), token: s() } }, 'nested');
    logger.info({ headers: { authorization: s(), sessionToken: s(), keyManagerToken: s() } }, 'headers');
    logger.info({ req: { headers: { Authorization: s(), sessionToken: s(), keyManagerToken: s() } } }, 'req');
    logger.info({ config: { privateKeyPem: s(), podUrl: 'https://pod.example' } }, 'config');
    logger.info({ a: { b: { token: s(), password: s() } } }, 'two deep');
    const child = logger.child({ streamId: 's1', eventId: 'e1' });
    child.debug({ sessionToken: s(), jwt: s() }, 'child');
    expect(i).toBe(secrets.length);

    const out = lines.join('');
    expect(lines).toHaveLength(8);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
    // Non-secret fields survive.
    expect(out).toContain('https://pod.example');
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({
      name: 'test',
      streamId: 's1',
      eventId: 'e1',
      msg: 'child',
      sessionToken: '[REDACTED]',
    });
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', destination });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('kept');
  });
});

import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { childLogger, createLogger, lazyChildLogger } from '../src/logging/index.ts';
import { captureLogLines } from '../src/testing/index.ts';

/** Counts the real `child()` calls made on `logger`. */
function countingChildren(logger: Logger): { logger: Logger; made: () => number } {
  let made = 0;
  const original = logger.child;
  logger.child = function (this: Logger, ...args: Parameters<Logger['child']>) {
    made++;
    return original.apply(this, args);
  } as Logger['child'];
  return { logger, made: () => made };
}

describe('lazyChildLogger', () => {
  it('writes the same lines as child(), nested bindings included', () => {
    const { lines, destination } = captureLogLines();
    const root = childLogger(createLogger({ level: 'info', name: 'worker', destination }), {
      component: 'w',
    });
    const drain = lazyChildLogger(root, { streamId: 's1', drainJob: '7' });
    const event = drain.child({ eventId: 'k1', seq: 3 });
    event.warn({ attempt: 2 }, 'retrying');
    drain.info('drained');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      name: 'worker',
      component: 'w',
      streamId: 's1',
      drainJob: '7',
      eventId: 'k1',
      seq: 3,
      attempt: 2,
      msg: 'retrying',
    });
    expect(lines[1]).toMatchObject({ streamId: 's1', msg: 'drained' });
    expect(lines[1]).not.toHaveProperty('eventId');
  });

  it('makes no child while only disabled levels are called, and one when an enabled level is', () => {
    const { lines, destination } = captureLogLines();
    const { logger: root, made } = countingChildren(createLogger({ level: 'warn', destination }));
    const drain = lazyChildLogger(root, { streamId: 's1' });
    const event = drain.child({ eventId: 'k1' });
    event.debug('peeked');
    event.info({ n: 1 }, 'handled');
    drain.debug('acked');
    expect(event.isLevelEnabled('info')).toBe(false);
    expect(made()).toBe(0);
    expect(lines).toHaveLength(0);
    event.error('failed');
    expect(made()).toBe(2); // the drain's child and the event's (pino children inherit the counting child())
    expect(lines).toEqual([expect.objectContaining({ streamId: 's1', eventId: 'k1', msg: 'failed' })]);
  });

  it('answers anything else from the real child (level, bindings)', () => {
    const root = createLogger({ level: 'debug', destination: captureLogLines().destination });
    const log = lazyChildLogger(root, { streamId: 's2' });
    expect(log.level).toBe('debug');
    expect(log.bindings()).toMatchObject({ streamId: 's2' });
  });
});

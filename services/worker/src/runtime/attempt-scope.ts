import type { RuntimeServices } from '@baton/bot';
import type { Logger, SymphonyClient } from '@baton/shared';
import { AttemptClosedError } from './runtime-errors.ts';

export interface AttemptScope {
  /** The services to hand to this attempt's handler. */
  readonly services: RuntimeServices;
  /** From now on, replies, updates, scheduling and Symphony calls made through `services` are refused (and logged). */
  close(reason: string): void;
}

/**
 * Wraps the services of one handler attempt so that an abandoned handler (timed out, still running) can no longer
 * reach users: after `close`, `replies.send`, `scheduler.schedule` and every Symphony client call reject with
 * `AttemptClosedError` and are logged (on-behalf-of calls too). Calls already under way when it closes are not interrupted.
 */
export function createAttemptScope(inner: RuntimeServices, log: Logger): AttemptScope {
  let closedFor: string | undefined;
  const guard = (what: string): void => {
    if (closedFor === undefined) return;
    log.warn({ call: what, closedBecause: closedFor }, 'late call of an abandoned handler dropped');
    throw new AttemptClosedError(what);
  };
  /** Every method call of `target` goes through the guard first (named `<label>.<method>`). */
  const guarded = <T extends object>(target: T, label: string): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          guard(`${label}.${String(prop)}`);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const client: SymphonyClient = guarded(inner.client, 'client');
  const services: RuntimeServices = {
    ...inner,
    client,
    replies: {
      async send(streamId, msg) {
        guard('replies.send');
        return inner.replies.send(streamId, msg);
      },
    },
    scheduler: {
      async schedule(delayMs, task) {
        guard('scheduler.schedule');
        return inner.scheduler.schedule(delayMs, task);
      },
    },
  };
  const { obo } = inner;
  if (obo) {
    // On-behalf-of calls of an abandoned handler are refused too (each user's client is guarded).
    services.obo = { appId: obo.appId, forUser: (user) => guarded(obo.forUser(user), 'obo') };
  }
  const { updates } = inner;
  if (updates) {
    services.updates = {
      async update(streamId, messageId, msg, opId) {
        guard('updates.update');
        return updates.update(streamId, messageId, msg, opId);
      },
    };
  }
  return {
    services,
    close(reason) {
      closedFor ??= reason;
    },
  };
}

import { BatonError, type SymphonyClient } from '@baton/shared';

/**
 * An app-only worker (on-behalf-of app, no bot service account) was asked for something only the bot account can
 * do: `ctx.reply`, `ctx.send`, `ctx.client.*`. Use `ctx.obo(user)` there, or give the worker a bot account.
 */
export class NoBotAccountError extends BatonError {
  constructor(readonly what: string) {
    super(
      'NO_BOT_ACCOUNT',
      `${what} needs the bot account, and this worker runs app-only (SYMPHONY_APP_ID without SYMPHONY_BOT_USERNAME): use ctx.obo(user), or configure the bot`,
    );
  }
}

/**
 * The Symphony client of an app-only worker: every call rejects with `NoBotAccountError` (BDK: "Any attempt to use
 * a non-OBO service endpoint will fail"); `logout` and `close` do nothing.
 */
export function createNoBotAccountClient(): SymphonyClient & { close(): void } {
  return new Proxy({} as SymphonyClient & { close(): void }, {
    get(_target, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'logout' || prop === 'close') return () => {};
      return () => Promise.reject(new NoBotAccountError(`client.${String(prop)}`));
    },
  });
}

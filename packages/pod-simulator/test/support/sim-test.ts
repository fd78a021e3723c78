import type { SymphonyClientConfig } from '@baton/shared';
import { createSimBotUser } from '@baton/testing';
import { test } from 'vitest';
import { createSimulator, type SimulatorOptions } from '../../src/index.ts';
import { type BotUser, botUser, login, sharedClientFor } from './sim-client.ts';

/** The file's bot user (see `simTest`). */
export interface SimBotOptions {
  username: string;
  displayName?: string;
}

/** Another user of the file (see `simTest`): no display name unless given. */
export interface SimUserOptions {
  displayName?: string;
}

/**
 * The simulator tests' vitest API, every fixture one per file, started when a test or a `simTest.beforeAll`
 * first asks for it and closed after the file's `afterAll` hooks (a client before the simulator):
 * - `sim`: `createSimulator(simOptions)`.
 * - the file's bot user named by `botOptions`: `botAccount` (its id, name and key pair, for a file that makes its
 *   own client), `bot` (the same, logged in over HTTP, see `BotUser`) and `botClient` (its id and the shared
 *   Symphony client logged in as it, see `sharedClientFor`, `botClientOptions` on top).
 * - `alice` and `bob`, the people the bot talks to (`aliceOptions`, `bobOptions`): plain users, their ids. A file
 *   that needs alice logged in asks for `aliceBot` instead (a bot user with a key pair, like `bot`).
 * - `im`: the IM of `alice` and the bot (alice first: she opens it); `room`: the room "Desk" of `aliceBot` and the
 *   bot.
 *
 * A test asks for what it uses (`simTest('…', async ({ sim, bot }) => …)`); a file sets its options with
 * `simTest.override({ simOptions: { longPollMs: 200 }, botOptions: { username: 'x-bot' } })` and adds its own
 * set-up (a room, a bound helper) with `simTest.extend(…)`, after the override: an extension keeps the overrides
 * made before it.
 */
export const simTest = test
  .extend('simOptions', { scope: 'file' }, {} as SimulatorOptions)
  .extend('sim', { scope: 'file' }, async ({ simOptions }, { onCleanup }) => {
    const sim = await createSimulator(simOptions);
    onCleanup(() => sim.close());
    return sim;
  })
  .extend('botOptions', { scope: 'file' }, { username: 'sim-bot' } as SimBotOptions)
  .extend('botAccount', { scope: 'file' }, ({ sim, botOptions }) => {
    return createSimBotUser(sim.control, botOptions.username, botOptions.displayName);
  })
  .extend('bot', { scope: 'file' }, async ({ sim, botAccount }): Promise<BotUser> => {
    return { ...botAccount, session: await login(sim, botAccount.username, botAccount.privateKeyPem) };
  })
  .extend('botClientOptions', { scope: 'file' }, {} as Partial<SymphonyClientConfig>)
  .extend('botClient', { scope: 'file' }, ({ sim, botAccount, botClientOptions }, { onCleanup }) => {
    const client = sharedClientFor(sim, botAccount, botClientOptions);
    onCleanup(() => client.close());
    return { botId: botAccount.userId, client };
  })
  .extend('aliceOptions', { scope: 'file' }, {} as SimUserOptions)
  .extend('alice', { scope: 'file' }, ({ sim, aliceOptions }) => {
    return sim.control.createUser({ username: 'alice', ...aliceOptions }).userId;
  })
  .extend('aliceBot', { scope: 'file' }, ({ sim, aliceOptions }) => {
    return botUser(sim, 'alice', aliceOptions.displayName);
  })
  .extend('bobOptions', { scope: 'file' }, {} as SimUserOptions)
  .extend('bob', { scope: 'file' }, ({ sim, bobOptions }) => {
    return sim.control.createUser({ username: 'bob', ...bobOptions }).userId;
  })
  .extend('im', { scope: 'file' }, ({ sim, botAccount, alice }) => {
    return sim.control.createStream({ type: 'IM', memberIds: [alice, botAccount.userId] }).streamId;
  })
  .extend('room', { scope: 'file' }, ({ sim, botAccount, aliceBot }) => {
    const memberIds = [aliceBot.userId, botAccount.userId];
    return sim.control.createStream({ type: 'ROOM', name: 'Desk', memberIds }).streamId;
  });

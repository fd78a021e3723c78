import { createSimulator, type Simulator, type SimulatorOptions } from '@baton/pod-simulator';
import { type ClosableSymphonyClient, createLogger, createSymphonyClient, type Logger } from '@baton/shared';
import { redisTest } from '@baton/shared/testing/vitest';
import { createSimBotUser, type SimBotUser } from '@baton/testing';

export interface SimClientOptions {
  /** The bot user's username (and display name). */
  botUsername: string;
  /** The simulator's and the client's logger (default silent). */
  logger?: Logger;
  sim?: Omit<SimulatorOptions, 'logger'>;
}

export interface SimClient {
  sim: Simulator;
  bot: SimBotUser;
  /** The real Symphony client, logged in to the simulator as `bot`. */
  client: ClosableSymphonyClient;
}

/**
 * `redisTest` plus `simClient` (one per file): a simulator with a bot user and the real Symphony client of that
 * bot, what a test of the worker's senders runs on; closed (client, then simulator) before the file's Redis. A
 * file names its bot with `simClientTest.override('simClientOptions', { botUsername: … })`.
 */
export const simClientTest = redisTest
  .extend('simClientOptions', { scope: 'file' }, { botUsername: 'test-bot' } as SimClientOptions)
  .extend(
    'simClient',
    { scope: 'file' },
    async ({ simClientOptions, redisServer: _redis }, { onCleanup }) => {
      const logger = simClientOptions.logger ?? createLogger({ level: 'silent' });
      const sim = await createSimulator({ ...simClientOptions.sim, logger });
      const bot = createSimBotUser(sim.control, simClientOptions.botUsername);
      const client = createSymphonyClient(
        { podUrl: sim.url, botUsername: bot.username, privateKeyPem: bot.privateKeyPem },
        { logger },
      );
      onCleanup(async () => {
        client.close();
        await sim.close();
      });
      return { sim, bot, client } satisfies SimClient;
    },
  );

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

export interface DemoSeedOptions {
  botUsername: string;
  /** The bot's public key file (PEM); written into the seed relative to the seed file. */
  publicKeyPath: string;
}

/** The demo pod: the bot, alice, bob and carol; a "Trading Desk" and a "Sales" room; IMs alice↔bot, bob↔bot. */
export function demoSeed(opts: DemoSeedOptions, seedPath: string): Record<string, unknown> {
  const bot = opts.botUsername;
  return {
    users: [
      {
        username: bot,
        displayName: 'Baton Bot',
        bot: true,
        publicKeyPath: relative(dirname(seedPath), opts.publicKeyPath),
      },
      { username: 'alice', displayName: 'Alice Analyst' },
      { username: 'bob', displayName: 'Bob Trader' },
      { username: 'carol', displayName: 'Carol Sales' },
    ],
    rooms: [
      { name: 'Trading Desk', members: [bot, 'alice', 'bob'] },
      { name: 'Sales', members: ['carol', 'alice', bot] },
    ],
    ims: [{ members: ['alice', bot] }, { members: ['bob', bot] }],
  };
}

/**
 * Writes the demo seed (the pod simulator's SIM_SEED format, see packages/pod-simulator/seed.example.yaml) as
 * JSON, which is YAML too: no YAML library for `baton dev` to depend on.
 */
export function writeSimSeed(seedPath: string, opts: DemoSeedOptions): void {
  mkdirSync(dirname(seedPath), { recursive: true });
  const header =
    '# Written by `baton dev` on every run (edits are overwritten): the demo pod of the development stack.\n' +
    "# Format: the pod simulator's seed file (YAML or JSON; see its seed.example.yaml).\n";
  writeFileSync(seedPath, `${header}${JSON.stringify(demoSeed(opts, seedPath), null, 2)}\n`);
}

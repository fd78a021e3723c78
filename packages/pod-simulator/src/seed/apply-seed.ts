import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SeedPublicKey, SeedSpec, SimulatorControl } from '../types.ts';

/** The PEM of a seed entry's key: inline, or read from its file (relative to `baseDir`); undefined for none. */
function seedPem(entry: SeedPublicKey, baseDir: string): string | undefined {
  return (
    entry.publicKey ??
    (entry.publicKeyPath ? readFileSync(resolve(baseDir, entry.publicKeyPath), 'utf8') : undefined)
  );
}

/** Create the seed's users, apps (installed for the users they name), rooms and IMs (members named by username). */
export function applySeed(control: SimulatorControl, seed: SeedSpec, baseDir = process.cwd()): void {
  const ids = new Map<string, number>();
  for (const u of seed.users ?? []) {
    const pem = seedPem(u, baseDir);
    const { userId } = control.createUser({
      username: u.username,
      ...(u.displayName ? { displayName: u.displayName } : {}),
      ...(pem ? { publicKeyPem: pem } : {}),
      bot: u.bot ?? false,
    });
    ids.set(u.username.toLowerCase(), userId);
  }
  const idOf = (name: string): number => {
    const id = ids.get(name.toLowerCase()) ?? control.listUsers().find((u) => u.username === name)?.userId;
    if (id === undefined) throw new Error(`seed: unknown user "${name}"`);
    return id;
  };
  for (const a of seed.apps ?? []) {
    const pem = seedPem(a, baseDir);
    if (pem === undefined) throw new Error(`seed: app "${a.appId}" needs publicKey or publicKeyPath`);
    control.registerApp({ appId: a.appId, publicKeyPem: pem, ...(a.name ? { name: a.name } : {}) });
    for (const name of a.users ?? []) control.installApp(a.appId, idOf(name));
  }
  for (const r of seed.rooms ?? []) {
    control.createStream({ type: 'ROOM', name: r.name, memberIds: r.members.map(idOf) });
  }
  for (const im of seed.ims ?? []) {
    control.createStream({ type: 'IM', memberIds: im.members.map(idOf) });
  }
}

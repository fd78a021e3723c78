import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SeedSpec } from '../types.ts';

/** `SeedPublicKey`'s fields, in a user or an app. */
const publicKeyFields = { publicKey: z.string().optional(), publicKeyPath: z.string().optional() };

const seedSchema = z.object({
  users: z
    .array(
      z.object({
        username: z.string().min(1),
        displayName: z.string().optional(),
        bot: z.boolean().optional(),
        ...publicKeyFields,
      }),
    )
    .default([]),
  apps: z
    .array(
      z.object({
        appId: z.string().min(1),
        name: z.string().optional(),
        ...publicKeyFields,
        users: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  rooms: z.array(z.object({ name: z.string().min(1), members: z.array(z.string()) })).default([]),
  ims: z.array(z.object({ members: z.array(z.string()).min(2) })).default([]),
});

/** Read a JSON or YAML seed file; `publicKeyPath` entries resolve against the file's folder. */
export function loadSeedFile(path: string): { seed: SeedSpec; seedDir: string } {
  const abs = resolve(path);
  const raw: unknown = parseYaml(readFileSync(abs, 'utf8')); // YAML is a superset of JSON
  const seed = seedSchema.parse(raw ?? {});
  return { seed, seedDir: dirname(abs) };
}

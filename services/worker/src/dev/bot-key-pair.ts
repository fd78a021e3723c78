import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BotKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  /** Whether the pair was generated now (false: reused from an earlier run). */
  generated: boolean;
}

/**
 * The bot's RSA 2048 key pair under `dir` (`bot-private.pem` PKCS#8, mode 0600; `bot-public.pem` SPKI):
 * generated on first run, reused afterwards so the simulator and the services keep agreeing.
 */
export function ensureBotKeyPair(dir: string): BotKeyPair {
  const privateKeyPath = join(dir, 'bot-private.pem');
  const publicKeyPath = join(dir, 'bot-public.pem');
  if (existsSync(privateKeyPath) && existsSync(publicKeyPath)) {
    const pem = readFileSync(privateKeyPath, 'utf8');
    if (pem.includes('PRIVATE KEY')) return { privateKeyPath, publicKeyPath, generated: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
  writeFileSync(publicKeyPath, publicKey, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, generated: true };
}

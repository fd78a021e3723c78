import { createPrivateKey, type KeyObject } from 'node:crypto';

/** JWT lifetime: Symphony rejects `exp` more than 5 minutes ahead; the BDKs use 240 s. */
export const AUTH_JWT_LIFETIME_SECONDS = 240;

/** Parses a PEM RSA private key, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey({ key: pem, format: 'pem' });
}

/**
 * The RS512 JWT posted to `/login/pubkey/authenticate` and `/relay/pubkey/authenticate`:
 * `sub` = bot username, `iat` = now, `exp` = now + 240 s. Build a fresh one per login.
 */
export async function createAuthJwt(
  username: string,
  privateKey: KeyObject | string,
  nowMs: number = Date.now(),
): Promise<string> {
  const key = typeof privateKey === 'string' ? loadPrivateKey(privateKey) : privateKey;
  const iat = Math.floor(nowMs / 1000);
  // Loaded at the first login only, and only jose's signer (10 of its 46 modules): a process that never signs
  // (certificate authentication, no OBO app) never loads it.
  const { SignJWT } = await import('jose/jwt/sign');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS512' })
    .setSubject(username)
    .setIssuedAt(iat)
    .setExpirationTime(iat + AUTH_JWT_LIFETIME_SECONDS)
    .sign(key);
}

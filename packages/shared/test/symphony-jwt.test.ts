import { generateKeyPairSync } from 'node:crypto';
import { testRsaKeyPair } from '@baton/testing';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { AUTH_JWT_LIFETIME_SECONDS, createAuthJwt } from '../src/symphony/index.ts';

describe('createAuthJwt', () => {
  it.each(['pkcs8', 'pkcs1'] as const)(
    'signs an RS512 JWT with a %s key that verifies with the public key',
    async (type) => {
      const { privateKeyPem, publicKeyPem } = testRsaKeyPair(type);
      expect(privateKeyPem).toContain(type === 'pkcs1' ? 'BEGIN RSA PRIVATE KEY' : 'BEGIN PRIVATE KEY');

      const jwt = await createAuthJwt('bot.user@acme', privateKeyPem);
      const { payload, protectedHeader } = await jwtVerify(jwt, await importSPKI(publicKeyPem, 'RS512'), {
        algorithms: ['RS512'],
      });
      const now = Math.floor(Date.now() / 1000);
      expect(protectedHeader.alg).toBe('RS512');
      expect(payload.sub).toBe('bot.user@acme');
      expect(payload.exp).toBeDefined();
      expect(payload.iat).toBeDefined();
      expect(payload.exp! - now).toBeLessThanOrEqual(300);
      expect(payload.exp! - now).toBeGreaterThan(200);
      expect(payload.exp! - payload.iat!).toBe(AUTH_JWT_LIFETIME_SECONDS);
    },
  );

  it('fails verification against another key', async () => {
    const mine = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = await createAuthJwt(
      'bot',
      mine.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    );
    await expect(jwtVerify(jwt, other.publicKey, { algorithms: ['RS512'] })).rejects.toThrow();
  });

  it('rejects a malformed key', async () => {
    await expect(createAuthJwt('bot', 'not a pem')).rejects.toThrow();
  });
});

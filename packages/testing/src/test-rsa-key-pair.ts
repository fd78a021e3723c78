import { generateKeyPairSync } from 'node:crypto';

/** An RSA key pair as PEM text. */
export interface TestRsaKeyPair {
  privateKeyPem: string;
  /** SPKI. */
  publicKeyPem: string;
}

/**
 * A fresh RSA 2048 key pair for a test (a bot's or an app's key): the private key PKCS#8 (`BEGIN PRIVATE KEY`)
 * unless `privateKeyType` is `pkcs1` (`BEGIN RSA PRIVATE KEY`), the public key SPKI.
 */
export function testRsaKeyPair(privateKeyType: 'pkcs8' | 'pkcs1' = 'pkcs8'): TestRsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: privateKeyType, format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

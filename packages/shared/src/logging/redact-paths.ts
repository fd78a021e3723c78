/** Keys whose values are secrets, wherever they appear (top level, one or two levels down, in headers). */
const SECRET_KEYS = [
  'sessionToken',
  'keyManagerToken',
  'token',
  'authorizationToken',
  'authorization',
  'Authorization',
  'privateKey',
  'privateKeyPem',
  'password',
  'jwt',
  'SYMPHONY_PRIVATE_KEY',
  // on-behalf-of: the app's private key (app and user session tokens are `token` / `sessionToken` above)
  'appPrivateKeyPem',
  'SYMPHONY_APP_PRIVATE_KEY',
  // certificate authentication: the client key, its passphrase / PKCS#12 password, the PKCS#12 bytes
  'keyPem',
  'passphrase',
  'pfx',
  'SYMPHONY_CERT_KEY',
  'SYMPHONY_CERT_PASSWORD',
] as const;

/**
 * pino `redact` paths: every secret key at depth 0–2, plus the usual HTTP header and config locations.
 * (pino paths are explicit; deeper nesting needs explicit paths here.)
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...[
    'authorization',
    'Authorization',
    'sessionToken',
    'keyManagerToken',
    'sessiontoken',
    'keymanagertoken',
  ].flatMap((h) => [`headers.${h}`, `*.headers.${h}`, `*.*.headers.${h}`]),
  'config.privateKeyPem',
  'config.appPrivateKeyPem',
  'config.caCertPem',
  'config.auth.certificate.keyPem',
  'config.auth.certificate.passphrase',
  'config.auth.certificate.pfx',
];

export const REDACT_CENSOR = '[REDACTED]';

/** What replaces a secret in text (the same censor as the logger's, `REDACT_CENSOR`). */
const REDACTED = '[REDACTED]';

const SECRET_NAMES =
  'session[_-]?token|key[_-]?manager[_-]?token|access[_-]?token|refresh[_-]?token|token|password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|private[_-]?key(?:[_-]?pem)?|authorization|jwt|cookie';

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM private keys (a key cut short by a length limit is still redacted to its end).
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    `${REDACTED} private key`,
  ],
  // Credentials in URLs: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // HTTP authorization schemes.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // JSON Web Tokens (header.payload.signature, the header always starts with `{"` = `eyJ`).
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // name=value, name: value, "name":"value" for secret-looking names.
  [
    new RegExp(`\\b(${SECRET_NAMES})(["']?\\s*[:=]\\s*["']?)(?!\\[REDACTED\\])[^\\s"'&,;})\\]]+`, 'gi'),
    `$1$2${REDACTED}`,
  ],
  // Long opaque runs (session tokens, keys): 80+ characters of a base64/hex alphabet.
  [/[A-Za-z0-9+/_=-]{80,}/g, REDACTED],
];

/**
 * Removes what looks like a secret from free text (an error message or stack that may quote a header, a URL, a
 * config value or a token): private keys, URL credentials, bearer tokens, JWTs, `token=…`/`"password": "…"`
 * pairs and long opaque token-like runs. Log lines are redacted by key path (`REDACT_PATHS`); this is for text
 * that leaves the process in data, such as a dead letter's error.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

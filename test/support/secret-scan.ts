/** A log line that leaks a credential, and which kind. */
export interface Leak {
  kind: 'token' | 'private key' | 'authorization header' | 'token field';
  line: string;
}

/** Base64 runs of the PEM body long enough to be unique to the key. */
function keyFragments(pem: string): string[] {
  const body = pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  const out: string[] = [];
  for (let i = 0; i + 32 <= body.length; i += 32) out.push(body.slice(i, i + 32));
  return out;
}

/**
 * Scans log lines for credentials: any known token value (also URL-encoded), any 32-char run of the private
 * key body, an Authorization header or a sessionToken/keyManagerToken/token field with a real value (not
 * redacted).
 */
export function scanForSecrets(
  lines: readonly string[],
  secrets: { tokens: readonly string[]; privateKeyPem?: string },
): Leak[] {
  const leaks: Leak[] = [];
  const fragments = secrets.privateKeyPem ? keyFragments(secrets.privateKeyPem) : [];
  const tokenForms = secrets.tokens.flatMap((t) => [t, encodeURIComponent(t)]);
  const authHeader = /"?authorization"?\s*[:=]\s*"?(bearer\s+)?[A-Za-z0-9._~+/-]{16,}/i;
  const tokenField = /"(sessionToken|keyManagerToken|token|jwt)"\s*:\s*"(?!\[REDACTED\])[^"]{16,}"/i;
  for (const line of lines) {
    const short = line.length > 300 ? `${line.slice(0, 300)}…` : line;
    if (tokenForms.some((t) => line.includes(t))) leaks.push({ kind: 'token', line: short });
    else if (fragments.some((f) => line.includes(f))) leaks.push({ kind: 'private key', line: short });
    else if (authHeader.test(line)) leaks.push({ kind: 'authorization header', line: short });
    else if (tokenField.test(line)) leaks.push({ kind: 'token field', line: short });
  }
  return leaks;
}

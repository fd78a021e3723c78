import { z } from 'zod';

/** An http(s) URL env variable. */
export function envHttpUrl() {
  return z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
}

/** A positive integer env variable (coerced from its string form). */
export function envPositiveInt() {
  return z.coerce
    .number({ error: 'expected a positive integer' })
    .int('expected a positive integer')
    .positive('expected a positive integer');
}

/** A comma-separated `host:port` list, e.g. `s1:26379,s2:26379`, parsed to `{host, port}[]`. */
export function envHostPortList() {
  return z
    .string()
    .regex(/^\s*[^\s,:]+:\d+\s*(,\s*[^\s,:]+:\d+\s*)*$/, 'expected a comma-separated host:port list')
    .transform((value) =>
      value.split(',').map((entry) => {
        const [host, port] = entry.trim().split(':') as [string, string];
        return { host, port: Number(port) };
      }),
    );
}

/** A PEM block (private key or certificate), usually given through `<NAME>_FILE`. */
export function envPem(kind: 'private key' | 'certificate') {
  const marker =
    kind === 'private key' ? /-----BEGIN [A-Z ]*PRIVATE KEY-----/ : /-----BEGIN CERTIFICATE-----/;
  return z.string().regex(marker, `expected a PEM ${kind}`);
}

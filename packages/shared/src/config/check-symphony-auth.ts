import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

type Problem = { variable: string; problem: string };
type Values = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The cross-variable rules of the Symphony fragment, checked once its variables parsed: exactly one
 * authentication (an RSA key, a PEM certificate + key, or a PKCS#12 file), and a certificate that loads (the key
 * matches, the password opens the PKCS#12 file), so a bad one fails at start naming the variable, not at the
 * first login. `source(name)` says where a variable came from, for the messages. The on-behalf-of app's pair is
 * checked too (`checkSymphonyApp`); with it and no bot account at all (no username, key or certificate), nothing
 * more is required: an app-only process (a schema that requires SYMPHONY_BOT_USERNAME still says so).
 */
export function checkSymphonyAuth(values: Values, source: (name: string) => string = () => ''): Problem[] {
  const rsa = str(values.SYMPHONY_PRIVATE_KEY);
  const cert = str(values.SYMPHONY_CERT);
  const key = str(values.SYMPHONY_CERT_KEY);
  const p12 = str(values.SYMPHONY_CERT_PKCS12_PATH);
  const password = str(values.SYMPHONY_CERT_PASSWORD);
  const problems: Problem[] = [];
  const add = (variable: string, problem: string): void => {
    problems.push({ variable, problem: `${problem}${source(variable)}` });
  };

  const certificate = cert !== undefined || key !== undefined || p12 !== undefined;
  problems.push(...checkSymphonyApp(values, source));
  const appOnly =
    str(values.SYMPHONY_APP_ID) !== undefined && str(values.SYMPHONY_APP_PRIVATE_KEY) !== undefined;
  if (str(values.SYMPHONY_BOT_USERNAME) === undefined) {
    // No bot account: fine for an app-only (OBO) process whose schema allows it; a schema that requires the
    // username reports it itself (parse-env keeps the first problem of a variable).
    if (rsa || certificate)
      add('SYMPHONY_BOT_USERNAME', "required with the bot's key or certificate but not set");
    else if (appOnly) return problems;
    else
      add(
        'SYMPHONY_BOT_USERNAME',
        'required but not set (or set SYMPHONY_APP_ID + SYMPHONY_APP_PRIVATE_KEY alone for an app-only worker)',
      );
  }
  if (!rsa && !certificate) {
    add(
      'SYMPHONY_PRIVATE_KEY',
      'required but not set (or set a certificate: SYMPHONY_CERT + SYMPHONY_CERT_KEY, or SYMPHONY_CERT_PKCS12_PATH)',
    );
    return problems;
  }
  if (rsa && certificate) {
    add(
      'SYMPHONY_PRIVATE_KEY',
      'set together with a certificate; choose one authentication: the RSA key or the certificate',
    );
    return problems;
  }
  if (rsa) return problems;
  if (p12 && (cert || key)) {
    add(
      'SYMPHONY_CERT_PKCS12_PATH',
      'set together with SYMPHONY_CERT/SYMPHONY_CERT_KEY; give one form of the certificate',
    );
    return problems;
  }
  if (cert && !key) add('SYMPHONY_CERT_KEY', 'required with SYMPHONY_CERT but not set');
  if (key && !cert) add('SYMPHONY_CERT', 'required with SYMPHONY_CERT_KEY but not set');
  if (problems.length > 0) return problems;

  const passphrase = password === undefined ? {} : { passphrase: password };
  if (p12) {
    let pfx: Buffer;
    try {
      pfx = readFileSync(p12);
    } catch (error) {
      add(
        'SYMPHONY_CERT_PKCS12_PATH',
        `cannot read file "${p12}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
      return problems;
    }
    try {
      createSecureContext({ pfx, ...passphrase });
    } catch (error) {
      const message = (error as Error).message;
      if (/mac verify|password|decrypt/i.test(message)) {
        add(
          'SYMPHONY_CERT_PASSWORD',
          password ? 'does not open the PKCS#12 file' : 'required: the PKCS#12 file is encrypted',
        );
      } else {
        add('SYMPHONY_CERT_PKCS12_PATH', `not a usable PKCS#12 file (${message})`);
      }
    }
    return problems;
  }
  try {
    createSecureContext({ cert, key, ...passphrase });
  } catch (error) {
    const message = (error as Error).message;
    if (/bad decrypt|passphrase|password/i.test(message)) {
      add(
        'SYMPHONY_CERT_PASSWORD',
        password ? 'does not decrypt SYMPHONY_CERT_KEY' : 'required: SYMPHONY_CERT_KEY is encrypted',
      );
    } else if (/mismatch/i.test(message)) {
      add('SYMPHONY_CERT_KEY', 'is not the private key of SYMPHONY_CERT');
    } else {
      add('SYMPHONY_CERT', `the certificate and key do not load (${message})`);
    }
  }
  return problems;
}

/**
 * The on-behalf-of app's variables: SYMPHONY_APP_ID and SYMPHONY_APP_PRIVATE_KEY go together, and the key must
 * be a usable private key (so a bad one fails at start, not at the first `ctx.obo`).
 */
export function checkSymphonyApp(values: Values, source: (name: string) => string = () => ''): Problem[] {
  const appId = str(values.SYMPHONY_APP_ID);
  const appKey = str(values.SYMPHONY_APP_PRIVATE_KEY);
  const problem = (variable: string, text: string): Problem => ({
    variable,
    problem: `${text}${source(variable)}`,
  });
  if (appId && !appKey)
    return [problem('SYMPHONY_APP_PRIVATE_KEY', 'required with SYMPHONY_APP_ID but not set')];
  if (appKey && !appId)
    return [problem('SYMPHONY_APP_ID', 'required with SYMPHONY_APP_PRIVATE_KEY but not set')];
  if (appKey) {
    try {
      createPrivateKey({ key: appKey, format: 'pem' });
    } catch (error) {
      return [problem('SYMPHONY_APP_PRIVATE_KEY', `not a usable private key (${(error as Error).message})`)];
    }
  }
  return [];
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A client certificate issued by a `ThrowawayCa`: PEM pair, plus a PKCS#12 file of both. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  /** PKCS#12 bundle of the certificate and key, encrypted with `p12Password`. */
  p12Path: string;
  p12Password: string;
}

export interface ThrowawayCa {
  /** The CA certificate, PEM (what a server trusts for client certificates). */
  certPem: string;
  certPath: string;
  /**
   * Issues a certificate whose subject CN is `commonName`, signed by this CA: a client certificate (clientAuth),
   * or with `server`, a server one for 127.0.0.1 / localhost (serverAuth).
   */
  issue(commonName: string, opts?: { p12Password?: string; server?: boolean }): IssuedCertificate;
  /** Removes the directory holding the keys. */
  remove(): void;
}

/**
 * A throwaway certificate authority made with the `openssl` binary (Node cannot sign X.509 certificates): a real
 * CA, real client certificates (clientAuth) and real PKCS#12 files, in a temporary directory, for tests of
 * mutual TLS. 2048-bit RSA keys, valid one day.
 */
export function createThrowawayCa(name = 'Baton Test CA'): ThrowawayCa {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ca-'));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    caKey,
    '-out',
    caCert,
  );
  let serial = 1;
  return {
    certPem: readFileSync(caCert, 'utf8'),
    certPath: caCert,
    issue(commonName, opts = {}) {
      const id = `client-${serial++}`;
      const keyPath = join(dir, `${id}.key`);
      const csr = join(dir, `${id}.csr`);
      const certPath = join(dir, `${id}.pem`);
      const ext = join(dir, `${id}.ext`);
      const p12Path = join(dir, `${id}.p12`);
      const p12Password = opts.p12Password ?? 'changeit';
      const usage = opts.server
        ? 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n'
        : 'extendedKeyUsage=clientAuth\n';
      writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n${usage}`);
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        keyPath,
        '-out',
        csr,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-set_serial',
        String(serial + 1000),
        '-days',
        '1',
        '-sha256',
        '-extfile',
        ext,
        '-out',
        certPath,
      );
      openssl(
        'pkcs12',
        '-export',
        '-in',
        certPath,
        '-inkey',
        keyPath,
        '-out',
        p12Path,
        '-passout',
        `pass:${p12Password}`,
      );
      return {
        certPem: readFileSync(certPath, 'utf8'),
        keyPem: readFileSync(keyPath, 'utf8'),
        certPath,
        keyPath,
        p12Path,
        p12Password,
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

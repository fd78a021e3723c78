import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * Whether a Redis server answers at `url`: sends PING and accepts any RESP reply (`+PONG`, or `-NOAUTH` from a
 * server that wants a password: it is there all the same). A rediss:// URL is probed with a TLS handshake only.
 */
export function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const u = new URL(url);
  const tls = u.protocol === 'rediss:';
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean, socket: Socket): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    const socket: Socket = tls
      ? tlsConnect({ host, port, servername: host, rejectUnauthorized: false }, () => done(true, socket))
      : connect({ host, port }, () => socket.write('PING\r\n'));
    socket.setTimeout(timeoutMs, () => done(false, socket));
    socket.on('error', () => done(false, socket));
    socket.on('data', (chunk) => done(/^[+-]/.test(chunk.toString('latin1')), socket));
  });
}

import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it; nothing listens on it once this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not allocate a free port'));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}

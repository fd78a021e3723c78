import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
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

/** `wanted` when non-zero, else a free port; distinct from the ports already `taken`. */
export async function portOrFree(wanted: number, taken: Set<number>): Promise<number> {
  if (wanted !== 0) {
    taken.add(wanted);
    return wanted;
  }
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

/** Whether nothing listens on 127.0.0.1:`port` (we can bind it right now). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

import { createServer } from 'node:net';
import { freePort } from '@baton/shared';

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

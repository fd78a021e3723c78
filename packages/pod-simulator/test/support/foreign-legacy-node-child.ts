import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeProcess } from '@baton/testing';
import type { DriverEvent, DriverReply, DriverRequest } from './foreign-legacy-node-protocol.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = join(HERE, '..', '..');
const DRIVER = join(HERE, 'foreign-legacy-node-driver.ts');

type Request = { op: 'init' | 'startFeed' | 'stopFeed' } | { op: 'call'; fn: string; args?: unknown[] };

/** The legacy Node client, running unchanged in a child process, seen from the test. */
export interface LegacyNodeChild {
  /** Call an exported function of the client (`Symphony[fn](...args)`) and await its promise. */
  call<T = unknown>(fn: string, ...args: unknown[]): Promise<T>;
  request<T = unknown>(req: Request): Promise<T>;
  /** Every datafeed callback received so far, in order. */
  readonly events: DriverEvent[];
  /** Resolve with the first event (already received from index `from` on, or later) that matches. */
  waitForEvent(
    name: string,
    match?: (payload: unknown) => boolean,
    opts?: { from?: number; timeoutMs?: number },
  ): Promise<unknown>;
  /** What the client printed (stdout + stderr), for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Fork the driver with `configPath` and `NODE_EXTRA_CA_CERTS=caPath` (the client verifies TLS normally, trusting
 * the simulator's self-signed certificate) and wait until it has loaded the client.
 */
export async function startLegacyNodeChild(configPath: string, caPath: string): Promise<LegacyNodeChild> {
  const child = new NodeProcess({
    name: 'legacy node client',
    entry: DRIVER,
    args: [configPath],
    cwd: PACKAGE_DIR,
    inheritEnv: true,
    // vitest's loader flags (NODE_OPTIONS) are not for this process
    env: { NODE_EXTRA_CA_CERTS: caPath, NODE_ENV: 'test', NODE_OPTIONS: undefined },
    ipc: true,
    keepLines: Number.POSITIVE_INFINITY,
  });
  const out = () => child.output();

  const events: DriverEvent[] = [];
  const replies = new Map<number, (r: DriverReply) => void>();
  const watchers = new Set<() => void>();
  let exited: string | undefined;
  child.onMessage((raw) => {
    const msg = raw as DriverReply | DriverEvent;
    if ('event' in msg) {
      events.push(msg);
      for (const w of watchers) w();
    } else {
      replies.get(msg.id)?.(msg);
      replies.delete(msg.id);
    }
  });
  child.start();
  void child.exited().then(({ code, signal }) => {
    exited = `driver exited (code ${code}, signal ${signal})`;
    for (const w of watchers) w();
    for (const [id, resolve] of replies) resolve({ id, ok: false, error: exited });
    replies.clear();
  });

  function waitForEvent(
    name: string,
    match: (payload: unknown) => boolean = () => true,
    { from = 0, timeoutMs = 15_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = events.slice(from).find((e) => e.event === name && match(e.payload));
        if (hit) {
          done();
          resolve(hit.payload);
        } else if (exited) {
          done();
          reject(new Error(`${exited} while waiting for "${name}"\n${out()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = events.map((e) => e.event).join(', ');
        reject(new Error(`no matching "${name}" event within ${timeoutMs} ms (seen: ${seen})\n${out()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  }

  let nextId = 1;
  function request<T>(req: Request): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error(exited));
        return;
      }
      replies.set(id, (r) => {
        if (r.ok) resolve(r.result as T);
        else
          reject(
            Object.assign(new Error(`${req.op} failed: ${JSON.stringify(r.error)}\n${out()}`), {
              cause: r.error,
            }),
          );
      });
      const msg: DriverRequest = { id, ...req };
      child.send(msg);
    });
  }

  await waitForEvent('ready', undefined, { timeoutMs: 30_000 });
  return {
    call: <T>(fn: string, ...args: unknown[]) => request<T>({ op: 'call', fn, args }),
    request,
    events,
    waitForEvent,
    output: out,
    async close() {
      await child.kill('SIGKILL');
    },
  };
}

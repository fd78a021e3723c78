/**
 * Child-process driver for Symphony's legacy Node client (`symphony-api-client-node`), used unchanged.
 *
 * The client keeps its state in module singletons, reads its config from a JSON file and trusts TLS through
 * the process (here `NODE_EXTRA_CA_CERTS`), so it runs in its own process, forked by
 * `foreign-legacy-node-child.ts`. Usage: `node --import tsx foreign-legacy-node-driver.ts <config.json>`.
 *
 * IPC protocol (JSON): the parent sends `{ id, op, fn?, args? }` and gets `{ id, ok, result | error }`;
 * datafeed callbacks are pushed as `{ event, payload }`. The client's own console output goes to stdout.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DriverEvent, DriverReply, DriverRequest } from './foreign-legacy-node-protocol.ts';

/** The part of the client's (untyped CommonJS) surface this driver touches. */
interface LegacyFeed {
  stop(onStopped?: () => void): void;
}
interface LegacyClient {
  initBot(configPath: string): PromiseLike<unknown>;
  getBotUser(): unknown;
  getDatafeedEventsService(options: Record<string, unknown>): LegacyFeed;
  [fn: string]: unknown;
}

const require = createRequire(import.meta.url);
const Symphony = require('symphony-api-client-node') as LegacyClient;

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: foreign-legacy-node-driver.ts <config.json>');

let feed: LegacyFeed | undefined;

function push(event: string, payload: unknown): void {
  const msg: DriverEvent = { event, payload };
  process.send?.(msg);
}

/** Arguments cross IPC as JSON: `{ $base64 }` stands for a Buffer (attachments). */
function reviveArg(arg: unknown): unknown {
  if (arg && typeof arg === 'object' && '$base64' in arg) {
    return Buffer.from(String((arg as { $base64: unknown }).$base64), 'base64');
  }
  return arg;
}

/** The client rejects with plain objects (`{ status, statusCode }`) or Errors; make both serialisable. */
function describeError(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return err;
}

async function handle(req: DriverRequest): Promise<unknown> {
  switch (req.op) {
    case 'init':
      await Symphony.initBot(configPath as string);
      return Symphony.getBotUser();
    case 'startFeed': {
      const on = (event: string) => (payload: unknown) => push(event, payload);
      feed = Symphony.getDatafeedEventsService({
        onMessage: on('message'),
        onError: (err: unknown) => push('error', describeError(err)),
        onCreated: on('created'),
        onSymphonyelementsaction: on('symphonyelementsaction'),
        onUserjoinedroom: on('userjoinedroom'),
        onRoomcreated: on('roomcreated'),
        onInstantmessagecreated: on('instantmessagecreated'),
      });
      return null;
    }
    case 'stopFeed': {
      const current = feed;
      if (!current) return null;
      feed = undefined;
      // The client says "stopped" when its current read returns. Bounded: a loop that died silently (the client
      // drops a rejection thrown in its own read callback) never says it.
      await Promise.race([new Promise<void>((resolve) => current.stop(resolve)), sleep(5_000)]);
      return null;
    }
    case 'call': {
      const fn = Symphony[req.fn];
      if (typeof fn !== 'function') throw new Error(`no client function ${req.fn}`);
      // The client's functions return Q promises (thenables) or plain values.
      return await (fn as (...a: unknown[]) => unknown)(...(req.args ?? []).map(reviveArg));
    }
    default:
      throw new Error(`unknown op ${String((req as { op: unknown }).op)}`);
  }
}

process.on('message', (raw) => {
  const req = raw as DriverRequest;
  handle(req).then(
    (result) => {
      const reply: DriverReply = { id: req.id, ok: true, result: result ?? null };
      process.send?.(reply);
    },
    (err: unknown) => {
      const reply: DriverReply = { id: req.id, ok: false, error: describeError(err) };
      process.send?.(reply);
    },
  );
});

// The parent closing the channel means the test is over.
process.on('disconnect', () => process.exit(0));
push('ready', null);

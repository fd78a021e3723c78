import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port.ts';
import { SpawnedRedis } from './spawned-redis.ts';

/** A Redis server owned by one test file. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` (or the container's / REDIS_URL's address). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** How it was obtained: a spawned redis-server, a testcontainer, or an external REDIS_URL. */
  readonly kind: 'spawned' | 'container' | 'external';
  /** Whether stop/start/kill are supported (not for an external REDIS_URL). */
  readonly controllable: boolean;
  /** SIGKILL the server (data since the last AOF fsync may be lost, as in a real crash). */
  kill(): Promise<void>;
  /** Graceful SHUTDOWN (AOF flushed). */
  stop(): Promise<void>;
  /** Start it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stop and remove everything it created. */
  close(): Promise<void>;
}

export interface TestRedisOptions {
  /** Append-only persistence (needed by tests that kill and restart Redis and expect the data back). */
  appendOnly?: boolean;
  /** Ignore REDIS_URL and Docker: always spawn a local redis-server (fault tests need to control it). */
  forceSpawn?: boolean;
}

function dockerEngineMaybePresent(): boolean {
  // Cheap pre-check so machines without an engine don't pay testcontainers' discovery time.
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

async function tryContainer(): Promise<TestRedis | undefined> {
  if (!dockerEngineMaybePresent()) return undefined;
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    const host = container.getHost();
    const port = container.getPort();
    let stopped = false;
    return {
      kind: 'container',
      controllable: false,
      host,
      port,
      url: `redis://${host}:${port}`,
      kill: async () => {
        throw new Error('kill() needs a spawned redis-server: use startTestRedis({ forceSpawn: true })');
      },
      stop: async () => {
        throw new Error('stop() needs a spawned redis-server: use startTestRedis({ forceSpawn: true })');
      },
      start: async () => {},
      close: async () => {
        if (stopped) return;
        stopped = true;
        await container.stop();
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * Gives a test file its own Redis: REDIS_URL when set; else a testcontainer when a Docker engine answers;
 * else a redis-server spawned on a free port with its own data directory. `forceSpawn` (fault tests) always
 * spawns, so the test can kill and restart it.
 */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  // Test-fixture environment (not service config): the one place tests read REDIS_URL.
  const external = process.env.REDIS_URL;
  if (!options.forceSpawn && external) {
    const u = new URL(external);
    return {
      kind: 'external',
      controllable: false,
      url: external,
      host: u.hostname,
      port: Number(u.port || 6379),
      kill: async () => {
        throw new Error('kill() is not possible on an external REDIS_URL; use forceSpawn');
      },
      stop: async () => {
        throw new Error('stop() is not possible on an external REDIS_URL; use forceSpawn');
      },
      start: async () => {},
      close: async () => {},
    };
  }
  if (!options.forceSpawn) {
    const container = await tryContainer();
    if (container) return container;
  }
  const dir = await mkdtemp(join(tmpdir(), 'baton-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const server = new SpawnedRedis({ port: await freePort(), dir, appendOnly: options.appendOnly ?? false });
    try {
      await server.start();
      return server;
    } catch (err) {
      lastError = err;
      await server.kill();
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`could not start a test redis-server: ${String(lastError)}`);
}

let counter = 0;
/** A key prefix unique to this process and call, so tests sharing a Redis never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  counter += 1;
  return `${label}${process.pid}x${counter}x${Date.now().toString(36)}`;
}

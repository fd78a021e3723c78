import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { TestRedis } from './redis-server.ts';

/**
 * Runs `use` on a one-shot connection to the server at host:port (connected first; no retries, no reconnect,
 * connection errors only thrown), disconnected afterwards whatever happens: for probing test topologies.
 */
export async function withRedisProbe<T>(
  port: number,
  use: (probe: Redis) => Promise<T>,
  host = '127.0.0.1',
): Promise<T> {
  const probe = new Redis({
    host,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return await use(probe);
  } finally {
    probe.disconnect();
  }
}

/** Resolves once the server at host:port answers PING (a data node or a sentinel). */
export async function waitForPing(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if ((await withRedisProbe(port, (probe) => probe.ping(), host)) === 'PONG') return;
    } catch (err) {
      lastError = err;
    }
    await sleep(50);
  }
  throw new Error(
    `redis at ${host}:${port} did not answer PING within ${timeoutMs} ms: ${String(lastError)}`,
  );
}

export interface SpawnedRedisOptions {
  port: number;
  /** Its data directory (also the working directory: cluster and sentinel files live there). */
  dir: string;
  appendOnly?: boolean;
  /** More `redis-server` arguments (e.g. `--cluster-enabled yes`, `--replicaof host port`). */
  extraArgs?: readonly string[];
  /** Run as a sentinel with this config file (in `dir`) instead of a data node. */
  sentinelConfig?: string;
  /** Whether close() removes `dir` (default true). */
  ownsDir?: boolean;
}

/**
 * One `redis-server` process on 127.0.0.1: a data node (standalone, cluster node or replica) or a sentinel. It
 * can be killed (SIGKILL, as in a crash), stopped (SIGTERM: flushes the AOF) and started again on the same port
 * and directory.
 */
export class SpawnedRedis implements TestRedis {
  readonly kind = 'spawned' as const;
  readonly controllable = true;
  readonly host = '127.0.0.1';
  readonly port: number;
  private child: ChildProcess | undefined;

  constructor(private readonly options: SpawnedRedisOptions) {
    this.port = options.port;
  }

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private args(): string[] {
    const { port, dir } = this.options;
    if (this.options.sentinelConfig) {
      return [
        this.options.sentinelConfig,
        '--sentinel',
        '--port',
        String(port),
        '--bind',
        this.host,
        '--dir',
        dir,
      ];
    }
    return [
      '--port',
      String(port),
      '--bind',
      this.host,
      '--save',
      '',
      '--appendonly',
      this.options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'everysec',
      '--dir',
      dir,
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...(this.options.extraArgs ?? []),
    ];
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = spawn('redis-server', this.args(), {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: this.options.dir,
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on start: ${stderr}`)));
      child.once('error', (err) => reject(new Error(`cannot spawn redis-server: ${err.message}`)));
    });
    exited.catch(() => {});
    await Promise.race([waitForPing(this.host, this.port, 10_000), exited]);
  }

  private async waitExit(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
  }

  async kill(): Promise<void> {
    await this.waitExit('SIGKILL');
  }

  async stop(): Promise<void> {
    // SIGTERM makes redis-server flush the AOF and exit cleanly, like SHUTDOWN.
    await this.waitExit('SIGTERM');
  }

  async close(): Promise<void> {
    await this.kill();
    if (this.options.ownsDir !== false) await rm(this.options.dir, { recursive: true, force: true });
  }
}

import { randomUUID } from 'node:crypto';
import { childLogger, defineScript, ingestKeys, type Logger } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';

/** KEYS: leader, leader-token. ARGV: instanceId, leaseMs. Returns the token, or false when someone else leads. */
const ACQUIRE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local id, tok = string.match(cur, '^(.*)|(%d+)$')
  if id == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tok
  end
  return false
end
local t = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. t, 'PX', ARGV[2])
return tostring(t)
`;

/** KEYS: leader. ARGV: instanceId|token, leaseMs. 1 renewed, 0 lost. */
const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** KEYS: leader. ARGV: instanceId|token. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface LeaderLeaseOptions {
  prefix: string;
  instanceId: string;
  /** Lease length; renewed every leaseMs/3; a standby polls every leaseMs/3. */
  leaseMs: number;
}

export interface LeaderLeaseDeps {
  redis: Redis | Cluster;
  logger: Logger;
  /** Called when this instance becomes leader (before `isLeader()` turns true is observed by the loop). */
  onAcquired?: (token: string) => Promise<void> | void;
  /** Called when leadership is lost (renewal refused, or not renewed within the lease). */
  onLost?: (token: string) => void;
  now?: () => number;
}

export interface LeaderLease {
  start(): void;
  /** Stops renewing and releases the lease if held. */
  stop(): Promise<void>;
  isLeader(): boolean;
  /** The fencing token while leader, else undefined. */
  token(): string | undefined;
  /** The `<instanceId>|<token>` value of the lease, for the ackId store check. */
  holder(): string | undefined;
  /** Mark the lease lost now (e.g. the ackId store found another holder). */
  lost(): void;
  /** When this instance acquired the lease it holds (ms since epoch), else undefined. */
  since(): number | undefined;
}

/**
 * A Redis lease deciding which ingester replica reads the feed: SET NX PX with renewals, a strictly increasing
 * fencing token (INCR) on every takeover. A leader that cannot renew within its lease steps down on its own.
 */
export function createLeaderLease(options: LeaderLeaseOptions, deps: LeaderLeaseDeps): LeaderLease {
  const keys = ingestKeys(options.prefix);
  const log = childLogger(deps.logger, { component: 'leader-lease', instanceId: options.instanceId });
  const now = deps.now ?? Date.now;
  const acquire = defineScript(deps.redis, 'batonIngestAcquireV1', ACQUIRE_LUA);
  const renew = defineScript(deps.redis, 'batonIngestRenewV1', RENEW_LUA);
  const release = defineScript(deps.redis, 'batonIngestReleaseV1', RELEASE_LUA);
  const interval = Math.max(50, Math.floor(options.leaseMs / 3));
  // Unique per lease object, so two processes configured with the same INSTANCE_ID never share a lease.
  const holderId = `${options.instanceId}#${randomUUID().slice(0, 8)}`;

  let current: string | undefined;
  let renewedAt = 0;
  let acquiredAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let tick: Promise<void> = Promise.resolve();

  function holderValue(): string | undefined {
    return current === undefined ? undefined : `${holderId}|${current}`;
  }

  function dropLeadership(reason: string): void {
    const token = current;
    if (token === undefined) return;
    current = undefined;
    log.warn({ leaderToken: token, reason }, 'leadership lost');
    deps.onLost?.(token);
  }

  async function step(): Promise<void> {
    if (!running) return;
    try {
      // The lease runs from when the command was sent, not from when its reply arrived.
      const sentAt = now();
      if (current === undefined) {
        const got = (await acquire(2, keys.leader, keys.leaderToken, holderId, options.leaseMs)) as
          | string
          | null;
        if (got && running) {
          renewedAt = sentAt;
          acquiredAt = sentAt;
          log.info({ leaderToken: got }, 'leadership acquired');
          await deps.onAcquired?.(got);
          current = got;
        }
      } else {
        const ok = (await renew(1, keys.leader, holderValue() ?? '', options.leaseMs)) as number;
        if (ok === 1) renewedAt = sentAt;
        else dropLeadership('lease taken over');
      }
    } catch (err) {
      log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'lease round failed');
    }
    // Without a renewal for a whole lease, another replica may already lead: step down.
    if (current !== undefined && now() - renewedAt >= options.leaseMs)
      dropLeadership('lease not renewed in time');
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      tick = step().finally(schedule);
    }, interval);
  }

  return {
    start() {
      if (running) return;
      running = true;
      tick = step().finally(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await tick.catch(() => {});
      const value = holderValue();
      if (value === undefined) return;
      current = undefined;
      try {
        await release(1, keys.leader, value);
        log.info('leadership released');
      } catch (err) {
        log.warn(
          { err: { name: (err as Error).name, message: (err as Error).message } },
          'lease release failed',
        );
      }
    },
    isLeader: () => current !== undefined,
    token: () => current,
    holder: holderValue,
    lost: () => dropLeadership('fenced by the store'),
    since: () => (current === undefined ? undefined : acquiredAt),
  };
}

import { Cluster, type Redis } from 'ioredis';
import { ClusterSlotsUnreachableError } from './cluster-slots-unreachable-error.ts';

const CLUSTER_SLOTS = 16_384;

/** Refreshes the client's slot map now (CLUSTER SLOTS), rather than trusting the one from before a failover. */
function refreshSlots(cluster: Cluster): Promise<void> {
  return new Promise((resolve, reject) => {
    cluster.refreshSlotsCache((err) => (err ? reject(err) : resolve()));
  });
}

/**
 * The node serving each slot as master, from a fresh slot map. The pool's own `nodes('master')` list can be
 * stale or short around a failover (a dead master drops out of it before its replica is promoted, and the slot
 * map keeps the old roles until it is refreshed): scanning it would miss every key of the missing master. Throws
 * ClusterSlotsUnreachableError when a slot has no master the client holds a connection to.
 */
async function clusterMasters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') await cluster.ping(); // connected first: a refresh needs a node to ask
  await refreshSlots(cluster);
  const byKey = new Map(cluster.nodes('all').map((n) => [`${n.options.host}:${n.options.port}`, n]));
  const masters = new Map<string, Redis>();
  let unreachable = 0;
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
    const owner = cluster.slots[slot]?.[0];
    const node = owner === undefined ? undefined : byKey.get(owner);
    if (!node || node.status === 'end') unreachable++;
    else if (owner !== undefined) masters.set(owner, node);
  }
  if (unreachable > 0) throw new ClusterSlotsUnreachableError(unreachable);
  return [...masters.values()];
}

/**
 * All keys matching `pattern` (SCAN; on a Cluster, on the master of every slot, from a freshly refreshed slot
 * map), at most `limit`. A Cluster some of whose slots have no reachable master fails
 * (ClusterSlotsUnreachableError, or the SCAN's own error) rather than answering with part of the keys.
 */
export async function scanKeys(redis: Redis | Cluster, pattern: string, limit = 1000): Promise<string[]> {
  const nodes: Redis[] = redis instanceof Cluster ? await clusterMasters(redis) : [redis];
  const found = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) found.add(k);
    } while (cursor !== '0' && found.size < limit);
  }
  return [...found].slice(0, limit);
}

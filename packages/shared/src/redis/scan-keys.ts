import { Cluster, type Redis } from 'ioredis';

/** All keys matching `pattern` (SCAN, on every master of a Cluster), at most `limit`. */
export async function scanKeys(redis: Redis | Cluster, pattern: string, limit = 1000): Promise<string[]> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
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

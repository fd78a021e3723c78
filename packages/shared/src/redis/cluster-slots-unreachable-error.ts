import { BatonError } from '../errors/baton-error.ts';

/**
 * A command that must reach every master of a Redis Cluster (SCAN of the whole keyspace) could not: some slots
 * have no master the client can reach right now (a failover under way). Answering with the other masters' keys
 * only would be wrong (the dashboard would count the workers on the missing master as gone), so it fails and is
 * tried again at the next refresh.
 */
export class ClusterSlotsUnreachableError extends BatonError {
  constructor(
    readonly slots: number,
    options?: { cause?: unknown },
  ) {
    super(
      'REDIS_CLUSTER_SLOTS_UNREACHABLE',
      `${slots} Redis Cluster slots have no reachable master (a failover under way?): cannot scan every key`,
      options,
    );
  }
}

import { crc16 } from './key-slot.ts';

/**
 * Redis keys of the mailboxes. Every key of one partition carries the hash tag `{pN}`, so each script touches
 * one slot (Redis Cluster safe):
 * - `<prefix>:mb:{pN}:q:<streamId>`   list: the stream's pending entries, head = next to handle
 * - `<prefix>:mb:{pN}:seen:<key>`     dedup marker (SET NX EX)
 * - `<prefix>:mb:{pN}:seq`            hash streamId -> last assigned seq
 * - `<prefix>:mb:{pN}:pending`        counter: pending entries in the partition
 * - `<prefix>:mb:{pN}:backlog`        zset streamId -> receivedAt of its oldest pending entry
 * - `<prefix>:mb:{pN}:fence`          highest ingester leader token seen (fences deposed leaders)
 * - `<prefix>:mb:{pN}:claims`         counter for drain fencing tokens
 * - `<prefix>:mb:{pN}:active`         hash streamId -> fencing token of the drain that owns the stream
 * - `<prefix>:mb:{pN}:handled`        hash streamId -> highest event timestamp handled (acked) in the stream
 * - `<prefix>:mb:{pN}:handed`         hash streamId -> `token:seq` of the last entry a claim or an ack handed to a
 *                                      drain (claim tells from it whether its head may already be started)
 * - `<prefix>:mb:{pN}:done:<key>`     processed mark of an event (`handled`/`dead-lettered`/`skipped`, with the
 *                                      idempotency TTL): set by the ack script, read by claim/peek/ack for the
 *                                      head they return (the scripts build it from `processedPrefix` and the
 *                                      entry's key: same hash tag, same slot). Older workers kept it at
 *                                      `<prefix>:done:<key>` (`WorkerKeys.processed`), still read for a drain's
 *                                      first head (docs/worker.md, "Processed marks across an upgrade").
 */
export class MailboxKeys {
  constructor(
    readonly prefix: string,
    readonly partitions: number,
  ) {}

  partitionOf(streamId: string): number {
    return crc16(streamId) % this.partitions;
  }

  base(partition: number): string {
    return `${this.prefix}:mb:{p${partition}}:`;
  }

  list(partition: number, streamId: string): string {
    return `${this.base(partition)}q:${streamId}`;
  }

  seen(partition: number, key: string): string {
    return `${this.base(partition)}seen:${key}`;
  }

  seq(partition: number): string {
    return `${this.base(partition)}seq`;
  }

  pending(partition: number): string {
    return `${this.base(partition)}pending`;
  }

  backlog(partition: number): string {
    return `${this.base(partition)}backlog`;
  }

  fence(partition: number): string {
    return `${this.base(partition)}fence`;
  }

  claims(partition: number): string {
    return `${this.base(partition)}claims`;
  }

  active(partition: number): string {
    return `${this.base(partition)}active`;
  }

  handled(partition: number): string {
    return `${this.base(partition)}handled`;
  }

  handed(partition: number): string {
    return `${this.base(partition)}handed`;
  }

  /** Prefix of the partition's processed marks: the scripts append an entry's key to it. */
  processedPrefix(partition: number): string {
    return `${this.base(partition)}done:`;
  }

  processed(partition: number, eventKey: string): string {
    return `${this.processedPrefix(partition)}${eventKey}`;
  }
}

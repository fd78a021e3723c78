const PREFIX_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** Throws unless `prefix` is usable inside Redis keys and hash tags (no braces, no spaces). */
export function assertKeyPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `invalid key prefix ${JSON.stringify(prefix)}: use letters, digits, '.', '_', '-', ':'`,
    );
  }
}

/** BullMQ queue names for a deployment prefix. */
export function queueNames(prefix: string): { drain: string; dlq: string; scheduled: string } {
  assertKeyPrefix(prefix);
  const base = prefix.replaceAll(':', '.');
  return { drain: `${base}.drain`, dlq: `${base}.dlq`, scheduled: `${base}.scheduled` };
}

/**
 * BullMQ key prefix for a deployment prefix, hash-tagged (`{baton}`) so every key of every queue sits in one
 * slot and BullMQ's scripts work on Redis Cluster.
 */
export function bullmqPrefix(prefix: string): string {
  assertKeyPrefix(prefix);
  return `{${prefix}}`;
}

import type { Queue } from 'bullmq';
import { buildDeadLetter, type DeadLetterInput } from './build-dead-letter.ts';
import { deadLetterId } from './dead-letter-id.ts';

/**
 * The one dead-letter writer (the ingester's invalid events, the worker's invalid, corrupt and failed events and
 * failed scheduled tasks): builds each entry (`buildDeadLetter`: bounded, redacted, validated) and adds it to
 * the `dlq` queue in one round trip, under its `deadLetterId` as job id, so writing the same entry again (a
 * batch read twice, an event redelivered) stores it once. Dead letters stay until dropped or replayed. Returns
 * the ids, in input order.
 */
export async function writeDeadLetters(
  dlqQueue: Queue,
  inputs: readonly DeadLetterInput[],
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const jobs = inputs.map((input) => {
    const data = buildDeadLetter(input);
    const jobId = deadLetterId(data);
    return { name: data.stage, data, opts: { jobId, removeOnComplete: false, removeOnFail: false } };
  });
  await dlqQueue.addBulk(jobs);
  return jobs.map((j) => j.opts.jobId);
}

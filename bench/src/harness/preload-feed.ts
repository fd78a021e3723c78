import {
  createLogger,
  createSymphonyClient,
  symphonyClientConfigFrom,
  symphonyEnvSchema,
} from '@baton/shared';
import type { BenchPod } from './bench-pod.ts';
import type { ReplyTracker } from './reply-tracker.ts';

/**
 * Fills a v2 feed of the bot before anything reads it (the ingester lists and resumes it), so the ingester
 * starts on a full backlog and runs as fast as it can: `events` no-op commands spread round-robin over `streams`.
 */
export async function preloadFeed(
  pod: BenchPod,
  tracker: ReplyTracker,
  opts: { events: number; streams: number },
): Promise<void> {
  const env = symphonyEnvSchema.parse(pod.botEnv);
  const client = createSymphonyClient(symphonyClientConfigFrom(env), {
    logger: createLogger({ level: 'warn', name: 'bench-preload' }),
  });
  try {
    await client.createDatafeed({});
  } finally {
    client.close();
  }
  const perStream = Math.ceil(opts.events / opts.streams);
  let sent = 0;
  for (let seq = 1; seq <= perStream && sent < opts.events; seq++) {
    for (let s = 0; s < opts.streams && sent < opts.events; s++) {
      pod.sendWork(s, tracker.injected(s, seq), 0);
      sent += 1;
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createBenchPod } from './harness/bench-pod.ts';
import { createReplyTracker } from './harness/reply-tracker.ts';
import { startVariant } from './harness/start-variant.ts';

/**
 * `node --conditions=@baton/source --import tsx bench/src/trace-redis-commands-main.ts [events] [gapMs] [cpuProfileDir]`:
 * every Redis command of a Baton stack (1 worker) handling `events` single events spaced `gapMs` apart, each
 * in its own room, from Redis MONITOR, per event, with an idle window of the same length subtracted
 * (heartbeats, leases, BullMQ's own polling). Lua-run commands are shown as `lua:<cmd>`. Run `pnpm build` first.
 */
const events = Number(process.argv[2] ?? 20);
const gapMs = Number(process.argv[3] ?? 400);
const pod = await createBenchPod({ streams: events });
const tracker = createReplyTracker();
pod.onBotReply((text, at) => tracker.replySeen(text, at));
const profDir = process.argv[4];
const running = await startVariant({ kind: 'baton', workers: 1, concurrency: 16 }, pod, {
  feedVersion: 'v2',
  ...(profDir ? { cpuProfileDir: profDir } : {}),
});
const url = running.redis?.url;
if (!url) throw new Error('no redis');
const mon = new Redis(url);
const counts = new Map<string, number>();
let phase: 'idle' | 'load' | 'off' = 'off';
const idle = new Map<string, number>();
const monitor = await mon.monitor();
monitor.on('monitor', (_time: string, args: string[], source: string) => {
  if (phase === 'off') return;
  const name = (args[0] ?? '').toLowerCase();
  if (name === 'hvals' || name === 'info') return;
  const key = `${source.startsWith('lua') ? 'lua:' : ''}${name}`;
  const m = phase === 'idle' ? idle : counts;
  m.set(key, (m.get(key) ?? 0) + 1);
});
await sleep(1000);
const windowMs = events * gapMs + 2000;
phase = 'idle';
await sleep(windowMs);
phase = 'load';
const cpuOf = () => {
  const out: Record<string, number> = {};
  for (const [role, list] of Object.entries(running.roles))
    out[role] = list.reduce((a, c) => a + (c.usage()?.cpuSeconds ?? 0), 0);
  return out;
};
const cpu0 = cpuOf();
for (let i = 0; i < events; i++) {
  pod.sendWork(i, tracker.injected(i, 1), 0);
  await sleep(gapMs);
}
await sleep(2000);
phase = 'off';
const cpu1 = cpuOf();
for (const role of Object.keys(cpu1))
  console.log(
    `${role} CPU ms/event ${((((cpu1[role] ?? 0) - (cpu0[role] ?? 0)) * 1000) / events).toFixed(2)}`,
  );
const report = tracker.report(() => true);
const rows = [...new Set([...counts.keys(), ...idle.keys()])]
  .map((k) => [k, ((counts.get(k) ?? 0) - (idle.get(k) ?? 0)) / events, (idle.get(k) ?? 0) / events] as const)
  .sort((a, b) => b[1] - a[1]);
let total = 0;
let totalIdle = 0;
for (const [k, per, id] of rows) {
  total += per;
  totalIdle += id;
  console.log(`${k.padEnd(28)} ${per.toFixed(2).padStart(7)}   (idle ${id.toFixed(2)})`);
}
console.log(
  `answered ${report.answered}/${events}, per event ${total.toFixed(2)} (idle window ${totalIdle.toFixed(2)})`,
);
monitor.disconnect();
mon.disconnect();
await running.stop();
await pod.close();

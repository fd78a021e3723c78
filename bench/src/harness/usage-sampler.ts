import type { ProcessUsage } from '../bench-result.ts';
import type { ChildService } from './child-service.ts';

/** Samples the CPU and RSS of groups of child processes every `intervalMs` while a run is measured. */
export interface UsageSampler {
  start(): void;
  /** Stops sampling; returns the usage per role over the window between start() and stop(). */
  stop(): Record<string, ProcessUsage>;
}

/** Anything with a pid whose usage can be read (a child service, or this process). */
export type Sampled = Pick<ChildService, 'pid' | 'usage'>;

export function createUsageSampler(groups: Record<string, Sampled[]>, intervalMs = 500): UsageSampler {
  const cpuAtStart = new Map<number, number>();
  const cpuLast = new Map<number, number>();
  const waitAtStart = new Map<number, number>();
  const waitLast = new Map<number, number>();
  const rssPeak = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;

  const sample = () => {
    for (const list of Object.values(groups)) {
      for (const svc of list) {
        const u = svc.usage();
        if (!u) continue;
        if (!cpuAtStart.has(svc.pid)) cpuAtStart.set(svc.pid, u.cpuSeconds);
        if (!waitAtStart.has(svc.pid)) waitAtStart.set(svc.pid, u.runQueueWaitSeconds);
        cpuLast.set(svc.pid, u.cpuSeconds);
        waitLast.set(svc.pid, u.runQueueWaitSeconds);
        rssPeak.set(svc.pid, Math.max(rssPeak.get(svc.pid) ?? 0, u.rssBytes));
      }
    }
  };

  return {
    start() {
      startedAt = Date.now();
      sample();
      timer = setInterval(sample, intervalMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      sample();
      const windowS = Math.max(0.001, (Date.now() - startedAt) / 1000);
      const out: Record<string, ProcessUsage> = {};
      for (const [role, list] of Object.entries(groups)) {
        let cpu = 0;
        let wait = 0;
        let peak = 0;
        for (const svc of list) {
          cpu += (cpuLast.get(svc.pid) ?? 0) - (cpuAtStart.get(svc.pid) ?? 0);
          wait += (waitLast.get(svc.pid) ?? 0) - (waitAtStart.get(svc.pid) ?? 0);
          peak = Math.max(peak, rssPeak.get(svc.pid) ?? 0);
        }
        out[role] = {
          processes: list.length,
          cpuSeconds: Math.round(cpu * 100) / 100,
          cpuCores: Math.round((cpu / windowS) * 100) / 100,
          peakRssMb: Math.round((peak / 1024 / 1024) * 10) / 10,
          runQueueWaitSeconds: Math.round(wait * 100) / 100,
        };
      }
      return out;
    },
  };
}

import type { ProcessUsage, RunCost } from '../bench-result.ts';
import type { CommandStatsDelta } from './redis-command-stats.ts';

/** Roles that are the bot stack under test (what the CPU total sums): not the simulator, driver or a hog. */
const STACK_ROLES = ['ingester', 'workers', 'baseline'];

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** CPU ms and Redis commands per answered event. */
export function runCost(
  usage: Record<string, ProcessUsage>,
  answered: number,
  commands: CommandStatsDelta | undefined,
): RunCost {
  const per = (n: number) => (answered > 0 ? round3(n / answered) : 0);
  const cpuMsPerEvent: Record<string, number> = {};
  let total = 0;
  for (const role of STACK_ROLES) {
    const u = usage[role];
    if (!u) continue;
    cpuMsPerEvent[role] = per(u.cpuSeconds * 1000);
    total += u.cpuSeconds * 1000;
  }
  cpuMsPerEvent.total = per(total);
  return {
    cpuMsPerEvent,
    redisCommandsPerEvent: commands ? per(commands.total) : null,
    redisScriptsPerEvent: commands ? per(commands.scripts) : null,
    redisTopCommandsPerEvent: commands
      ? Object.fromEntries(Object.entries(commands.top).map(([k, v]) => [k, per(v)]))
      : null,
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { createLogger } from '@baton/shared';
import { lowerOwnPriority } from '../../src/runtime/lower-own-priority.ts';

// Test fixture: `own-priority-main.ts <nice>` lowers its own priority as a worker does at start, then prints the
// nice value of each of its threads (/proc/self/task/<tid>/stat, field 19) as JSON.
lowerOwnPriority(Number(process.argv[2]), createLogger({ level: 'silent' }));
const nice = readdirSync('/proc/self/task').map((tid) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may contain spaces): state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[19 - 3]);
});
console.log(JSON.stringify({ main: nice[0], threads: nice }));

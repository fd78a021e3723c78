// Starts a process as an orphan with closed pipes: spawns ORPHAN_SPEC ({ command, args, env }, JSON) in its own
// process group with stdout and stderr piped here, waits for its first output line, prints `orphan <pid>` and
// exits. The child is left without a parent (re-parented to init) and its stdout and stderr have no reader any
// more: every write it makes fails with EPIPE, as for a service whose `baton dev` was SIGKILLed.
import { spawn } from 'node:child_process';

const spec = JSON.parse(process.env['ORPHAN_SPEC'] ?? '{}') as {
  command: string;
  args: string[];
  env: Record<string, string>;
};
const child = spawn(spec.command, spec.args, {
  env: spec.env,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
const done = (): void => {
  process.stdout.write(`orphan ${child.pid}\n`, () => process.exit(0));
};
child.stdout?.once('data', done);
child.stderr?.once('data', done);
setTimeout(done, 15_000);

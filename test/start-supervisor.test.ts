import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, TEST_RUN_VARIABLE, testRunId, waitFor } from '@baton/testing';
import { createProcessSupervisor, type ProcessSpec, type StackOutput } from '@baton/worker/internals';
import { describe, expect, it } from 'vitest';

// The process supervisor of `baton dev` (`pnpm start`) with tiny `node -e` children.

function recorder(): StackOutput & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    process: (name, text) => lines.push(`${name}: ${text}`),
    info: (text) => lines.push(`info: ${text}`),
    warn: (text) => lines.push(`warn: ${text}`),
    error: (text) => lines.push(`error: ${text}`),
  };
}

/** A supervisor with `config`, its output recorded, the reasons it gave up (`onFatal`) collected. */
function supervisor(config: Parameters<typeof createProcessSupervisor>[0]) {
  const output = recorder();
  const fatal: string[] = [];
  const sup = createProcessSupervisor(config, { output, onFatal: (reason) => fatal.push(reason) });
  return { output, fatal, sup };
}

const spec = (name: string, code: string, env: Record<string, string> = {}): ProcessSpec => ({
  name,
  command: process.execPath,
  args: ['-e', code],
  // The run's marker, as the launcher sets it: the leak check sees these children too.
  env: { PATH: process.env['PATH'], [TEST_RUN_VARIABLE]: testRunId(), ...env },
  cwd: process.cwd(),
  logs: 'pino',
});

describe('process supervisor', () => {
  it('prefixes output lines and pretty-prints pino records', async () => {
    const { output, sup } = supervisor({ onCrash: 'exit', maxRestarts: 1, logFormat: 'pretty' });
    const p = sup.start(
      spec(
        'talker',
        `console.log('plain line'); console.log(JSON.stringify({level:30,time:0,msg:'hello',a:1})); setInterval(()=>{},1000)`,
      ),
    );
    await waitFor('the pretty-printed record', () => output.lines.some((l) => l.includes('hello')), 10_000);
    expect(output.lines).toContain('talker: plain line');
    expect(output.lines).toContain('talker: 00:00:00.000 INFO  hello a=1');
    await p.stop(2_000);
    expect(output.lines.some((l) => l.startsWith('error:'))).toBe(false);
  });

  it('restarts a crashing process with a back-off, then gives up after maxRestarts crashes', async () => {
    const { output, fatal, sup } = supervisor({ onCrash: 'restart', maxRestarts: 1, logFormat: 'pretty' });
    const p = sup.start(spec('crasher', 'process.exit(3)'));
    await waitFor('the give-up', () => fatal.length > 0, 15_000);
    expect(fatal).toEqual(['crasher crashed 2 times within a minute']);
    expect(output.lines.filter((l) => l.includes('restarting it in 1 s'))).toHaveLength(1);
    expect(p.crashes()).toBe(2);
    expect(sup.allPids()).toHaveLength(2);
    await p.stop(1_000);
  });

  it('does not restart a process that refused its configuration (exit 2): the stack stops', async () => {
    const { output, fatal, sup } = supervisor({ onCrash: 'restart', maxRestarts: 5, logFormat: 'pretty' });
    const p = sup.start(spec('misconfigured', 'process.exit(2)'));
    await waitFor('the stop on exit 2', () => fatal.length > 0, 10_000);
    expect(fatal).toEqual(['misconfigured has an invalid configuration']);
    expect(output.lines.some((l) => l.includes('restarting'))).toBe(false);
    expect(sup.allPids()).toHaveLength(1);
    await p.stop(1_000);
  });

  it('stops with SIGTERM, and SIGKILLs a process that ignores it; no restart after a stop', async () => {
    const { output, fatal, sup } = supervisor({ onCrash: 'restart', maxRestarts: 5, logFormat: 'json' });
    const polite = sup.start(
      spec(
        'polite',
        `process.on('SIGTERM',()=>process.exit(0)); setInterval(()=>{},1000); console.log('up')`,
      ),
    );
    const stubborn = sup.start(
      spec('stubborn', `process.on('SIGTERM',()=>{}); setInterval(()=>{},1000); console.log('up')`),
    );
    await waitFor(
      'both processes up',
      () => output.lines.filter((l) => l.endsWith(': up')).length === 2,
      10_000,
    );
    const pids = [polite.pid(), stubborn.pid()] as number[];
    await sup.stopAll([[polite, stubborn]], 500);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(output.lines).toContain('warn: stubborn did not exit within 500 ms of SIGTERM: SIGKILL');
    expect(output.lines.some((l) => l.includes('polite did not exit'))).toBe(false);
    await sleep(1_500);
    expect(fatal).toEqual([]);
    expect(output.lines.some((l) => l.includes('restarting'))).toBe(false);
    expect(polite.pid()).toBeUndefined();
  });
  it('restart() reloads a process (no crash); a config error after a reload waits for the next restart', async () => {
    const { output, fatal, sup } = supervisor({ onCrash: 'exit', maxRestarts: 1, logFormat: 'json' });
    const dir = mkdtempSync(join(tmpdir(), 'baton-supervisor-'));
    const broken = join(dir, 'broken');
    try {
      const p = sup.start(
        spec(
          'reloadable',
          `if (require('node:fs').existsSync(process.env.BROKEN)) process.exit(2); console.log('up ' + process.pid); setInterval(()=>{},1000)`,
          { BROKEN: broken },
        ),
      );
      await waitFor(
        'the first start',
        () => output.lines.some((l) => l.startsWith('reloadable: up')),
        10_000,
      );
      const first = p.pid() as number;
      await p.restart(2_000);
      await waitFor(
        'the reload',
        () => output.lines.filter((l) => l.startsWith('reloadable: up')).length === 2,
        10_000,
      );
      expect(isAlive(first)).toBe(false);
      expect(p.pid()).not.toBe(first);
      expect(p.crashes()).toBe(0);
      expect(fatal).toEqual([]);

      // A bad edit: the reloaded process refuses its configuration; the stack keeps running, the process waits.
      writeFileSync(broken, '');
      await p.restart(2_000);
      await waitFor('the process to wait for a change', () => p.waiting(), 10_000);
      expect(fatal).toEqual([]);
      expect(output.lines.some((l) => l.includes('the next change reloads it'))).toBe(true);
      rmSync(broken);
      await p.restart(2_000);
      await waitFor(
        'the reload after the fix',
        () => output.lines.filter((l) => l.startsWith('reloadable: up')).length === 3,
        10_000,
      );
      expect(p.waiting()).toBe(false);
      await p.stop(1_000);
      await p.restart(1_000); // no effect after stop
      expect(p.pid()).toBeUndefined();
      expect(fatal).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

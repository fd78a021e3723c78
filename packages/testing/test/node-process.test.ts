import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../src/is-alive.ts';
import { NodeProcess, type NodeProcessOptions } from '../src/node-process.ts';
import { runNode } from '../src/run-node.ts';
import { TEST_RUN_VARIABLE, testRunId } from '../src/test-run.ts';
import { waitFor } from '../src/wait-for.ts';

const CHILD_TS = join(import.meta.dirname, 'fixtures', 'child.ts');
const CHILD_JS = join(import.meta.dirname, 'fixtures', 'child.mjs');

const started: NodeProcess[] = [];
function launch(mode: string, opts: Partial<NodeProcessOptions> = {}): NodeProcess {
  const p = new NodeProcess({ name: mode, entry: CHILD_TS, args: [mode], ...opts });
  started.push(p);
  return p;
}
const ready = (p: NodeProcess) =>
  waitFor(
    `${p.name} ready`,
    () => p.lines.includes('ready'),
    20_000,
    () => p.tail(),
  );

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill()));
});

describe('NodeProcess, the one launcher', () => {
  it('runs a .ts entry with node itself (the real pid), through tsx with the @baton/source condition', async () => {
    process.env.NOT_INHERITED = 'from the parent';
    const p = launch('report', { env: { EXTRA: 'given' } });
    p.start();
    expect(await p.exited()).toEqual({ code: 0, signal: null });
    const seen = JSON.parse(p.lines[0] ?? '{}') as Record<string, unknown>;
    expect(seen.pid).toBe(p.pid);
    expect(seen.execArgv).toEqual(expect.arrayContaining(['--conditions=@baton/source', '--import']));
    // Only PATH, HOME, the run's marker and what it was given.
    expect(seen).toMatchObject({ run: testRunId(), extra: 'given', home: true });
    expect(seen.notInherited).toBeUndefined();
    // stdout and stderr, line by line (the last one even without its newline) and as written.
    expect(p.lines.slice(1)).toEqual(['[stderr] to stderr', '[stderr] last line without a newline']);
    expect(p.stderr()).toBe('to stderr\nlast line without a newline');
    expect(p.stdout()).toBe(`${p.lines[0]}\n`);
    delete process.env.NOT_INHERITED;
  });

  it('runs JavaScript as it is, with source maps, and passes inheritEnv through', async () => {
    const p = launch('js', { entry: CHILD_JS, args: [], inheritEnv: true, nodeArgs: ['--no-warnings'] });
    p.start();
    expect((await p.exited()).code).toBe(0);
    const seen = JSON.parse(p.lines[0] ?? '{}') as { pid: number; execArgv: string[] };
    expect(seen.execArgv).toEqual(['--no-warnings', '--enable-source-maps']);
    expect(seen.pid).toBe(p.pid);
  });

  it('puts the test run marker in the environment of the process itself, as /proc shows it', async () => {
    const p = launch('graceful');
    p.start();
    await ready(p);
    const environ = readFileSync(`/proc/${p.pid}/environ`, 'latin1').split('\0');
    expect(environ).toContain(`${TEST_RUN_VARIABLE}=${testRunId()}`);
    expect(readFileSync(`/proc/${p.pid}/cmdline`, 'latin1')).toContain(CHILD_TS);
  });

  it('stop(): SIGTERM first; a process that exits on it exits 0', async () => {
    const p = launch('graceful');
    p.start();
    await ready(p);
    expect(await p.stop(5_000)).toEqual({ code: 0, signal: null });
    expect(p.lines).toContain('stopping');
    expect(p.running).toBe(false);
  });

  it('stop(): SIGKILL after graceMs when SIGTERM is ignored', async () => {
    const p = launch('ignore-term');
    p.start();
    await ready(p);
    const t0 = Date.now();
    expect(await p.stop(500)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    await waitFor(
      'the SIGTERM log',
      () => p.lines.includes('ignoring SIGTERM'),
      2_000,
      () => p.tail(),
    );
  });

  it('kill(): SIGKILL, and the process is gone; restartable, with lines and exits kept over incarnations', async () => {
    const p = launch('graceful');
    p.start();
    await ready(p);
    const first = p.pid as number;
    expect(await p.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isAlive(first)).toBe(false);
    p.start();
    await waitFor('the second incarnation', () => p.lines.filter((l) => l === 'ready').length === 2, 20_000);
    expect(p.pid).not.toBe(first);
    expect(p.starts).toBe(2);
    p.start(); // running: nothing happens
    expect(p.starts).toBe(2);
    expect(await p.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(p.exits).toEqual([
      { code: null, signal: 'SIGKILL' },
      { code: 0, signal: null },
    ]);
  });

  it('keeps the last keepLines lines', async () => {
    const p = launch('report', { keepLines: 2 });
    p.start();
    await p.exited();
    expect(p.lines).toEqual(['[stderr] to stderr', '[stderr] last line without a newline']);
  });

  it('talks over IPC when asked to', async () => {
    const p = launch('echo-ipc', { ipc: true });
    const messages: unknown[] = [];
    p.onMessage((m) => messages.push(m));
    p.start();
    await waitFor(
      'ready',
      () => messages.includes('ready'),
      20_000,
      () => p.tail(),
    );
    p.send({ n: 1 });
    await waitFor('the echo', () => messages.length === 2, 5_000);
    expect(messages[1]).toEqual({ echo: { n: 1 } });
  });

  it('runNode: runs to the end, and SIGKILLs what outlives its timeout', async () => {
    const done = await runNode({ name: 'report', entry: CHILD_TS, args: ['report'] }, 20_000);
    expect(done).toMatchObject({
      code: 0,
      signal: null,
      timedOut: false,
      stderr: expect.stringContaining('to stderr'),
    });
    const hung = await runNode({ name: 'hung', entry: CHILD_TS, args: ['ignore-term'] }, 1_500);
    expect(hung).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect(hung.lines).toContain('ready');
  });
});

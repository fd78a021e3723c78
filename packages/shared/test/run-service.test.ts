import { EventEmitter } from 'node:events';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import {
  guardStdio,
  type RunServiceOptions,
  runService,
  type ServiceLogger,
  watchParent,
} from '../src/process/index.ts';

// The one shutdown path of the process entries, driven through a stand-in `process` (signals and the IPC
// channel are events on it; `exit` is recorded instead of ending the test run).

function fakeProcess(opts: { channel?: boolean } = {}) {
  const proc = new EventEmitter() as EventEmitter & Record<string, unknown>;
  proc['stdout'] = new EventEmitter();
  proc['stderr'] = new EventEmitter();
  let unrefs = 0;
  proc['channel'] = opts.channel ? { unref: () => unrefs++ } : undefined;
  proc['connected'] = opts.channel === true;
  return { proc: proc as unknown as NodeJS.Process & EventEmitter, unrefs: () => unrefs };
}

/**
 * A stand-in process with a recording logger and exit: `options` are runService's for them (name `svc`,
 * shutdown timeout `shutdownTimeoutMs`), `lines` the log lines, `exits` the exit codes, `exited()` waits for one.
 */
function harness(shutdownTimeoutMs: number, opts: { channel?: boolean } = {}) {
  const { proc, unrefs } = fakeProcess(opts);
  const lines: string[] = [];
  const logger: ServiceLogger = {
    info: (_o, msg) => lines.push(`info ${msg}`),
    error: (_o, msg) => lines.push(`error ${msg}`),
  };
  const exits: number[] = [];
  const options: RunServiceOptions = {
    name: 'svc',
    logger,
    shutdownTimeoutMs,
    process: proc,
    exit: (code) => exits.push(code),
  };
  const exited = () => waitFor('the exit', () => exits.length > 0, 2_000);
  return { proc, unrefs, lines, exits, options, exited };
}

describe('runService', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s stops the service once and exits 0',
    async (signal) => {
      const { proc, lines, exits, options, exited } = harness(5_000);
      let stops = 0;
      await runService(async () => ({ stop: async () => void stops++ }), options);
      proc.emit(signal);
      proc.emit(signal); // a relayed duplicate: ignored
      proc.emit('SIGTERM');
      await exited();
      expect(stops).toBe(1);
      expect(exits).toEqual([0]);
      expect(lines).toEqual(['info svc stopping', 'info svc stopped']);
    },
  );

  it('exits 1 when stop() overruns the shutdown timeout, and when it throws', async () => {
    for (const stop of [() => new Promise<void>(() => {}), async () => Promise.reject(new Error('boom'))]) {
      const { proc, lines, exits, options, exited } = harness(100);
      await runService(async () => ({ stop }), options);
      proc.emit('SIGTERM');
      await exited();
      expect(exits[0]).toBe(1);
      expect(
        lines.some((l) => /^error svc (did not stop within the shutdown timeout|failed to stop)/.test(l)),
      ).toBe(true);
    }
  });

  it('a signal during a start that never ends still exits within the timeout (1)', async () => {
    const { proc, exits, options, exited } = harness(100);
    void runService(() => new Promise(() => {}), options);
    proc.emit('SIGTERM');
    await exited();
    expect(exits).toEqual([1]);
  });

  it('a signal during the start stops the service as soon as it is up', async () => {
    const { proc, exits, options, exited } = harness(5_000);
    let release: () => void = () => undefined;
    let stopped = false;
    const running = runService(
      () =>
        new Promise((resolve) => {
          release = () =>
            resolve({
              stop: () => {
                stopped = true;
              },
            });
        }),
      options,
    );
    proc.emit('SIGINT');
    expect(stopped).toBe(false);
    release();
    await running;
    await exited();
    expect({ stopped, exits }).toEqual({ stopped: true, exits: [0] });
  });

  it('a failed start exits with the code onStartError gives (default 1)', async () => {
    const { lines, exits, options } = harness(100);
    const fail = async () => Promise.reject(new Error('no'));
    await runService(fail, options);
    await runService(fail, { ...options, onStartError: () => 2 });
    expect(exits).toEqual([1, 2]);
    expect(lines).toEqual(['error svc failed to start']);
  });

  it('stops when its parent (baton dev) is gone: the IPC channel disconnects', async () => {
    const { proc, unrefs, lines, exits, options, exited } = harness(5_000, { channel: true });
    await runService(async () => ({ stop: () => undefined }), options);
    expect(unrefs()).toBe(1);
    proc.emit('disconnect');
    await exited();
    expect(exits).toEqual([0]);
    expect(lines[0]).toBe('info svc stopping');
  });
});

describe('watchParent and guardStdio', () => {
  it('watches only a process that has an IPC channel', () => {
    expect(watchParent(() => undefined, fakeProcess().proc)).toBe(false);
    expect(watchParent(() => undefined, fakeProcess({ channel: true }).proc)).toBe(true);
  });

  it('drops the errors of a stdout without a reader (EPIPE, EIO) and rethrows any other', () => {
    const { proc } = fakeProcess();
    guardStdio(proc);
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(() => (proc.stdout as unknown as EventEmitter).emit('error', error('EPIPE'))).not.toThrow();
    expect(() => (proc.stderr as unknown as EventEmitter).emit('error', error('EIO'))).not.toThrow();
    expect(() => (proc.stdout as unknown as EventEmitter).emit('error', error('EBADF'))).toThrow('EBADF');
  });
});

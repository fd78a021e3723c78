import { EventEmitter } from 'node:events';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { guardStdio, runService, type ServiceLogger, watchParent } from '../src/process/index.ts';

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

function recorder() {
  const lines: string[] = [];
  const logger: ServiceLogger = {
    info: (_o, msg) => lines.push(`info ${msg}`),
    error: (_o, msg) => lines.push(`error ${msg}`),
  };
  return { lines, logger };
}

describe('runService', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s stops the service once and exits 0',
    async (signal) => {
      const { proc } = fakeProcess();
      const { lines, logger } = recorder();
      const exits: number[] = [];
      let stops = 0;
      await runService(async () => ({ stop: async () => void stops++ }), {
        name: 'svc',
        logger,
        shutdownTimeoutMs: 5_000,
        process: proc,
        exit: (code) => exits.push(code),
      });
      proc.emit(signal);
      proc.emit(signal); // a relayed duplicate: ignored
      proc.emit('SIGTERM');
      await waitFor('the exit', () => exits.length > 0, 2_000);
      expect(stops).toBe(1);
      expect(exits).toEqual([0]);
      expect(lines).toEqual(['info svc stopping', 'info svc stopped']);
    },
  );

  it('exits 1 when stop() overruns the shutdown timeout, and when it throws', async () => {
    for (const stop of [() => new Promise<void>(() => {}), async () => Promise.reject(new Error('boom'))]) {
      const { proc } = fakeProcess();
      const { lines, logger } = recorder();
      const exits: number[] = [];
      await runService(async () => ({ stop }), {
        name: 'svc',
        logger,
        shutdownTimeoutMs: 100,
        process: proc,
        exit: (code) => exits.push(code),
      });
      proc.emit('SIGTERM');
      await waitFor('the exit', () => exits.length > 0, 2_000);
      expect(exits[0]).toBe(1);
      expect(
        lines.some((l) => /^error svc (did not stop within the shutdown timeout|failed to stop)/.test(l)),
      ).toBe(true);
    }
  });

  it('a signal during a start that never ends still exits within the timeout (1)', async () => {
    const { proc } = fakeProcess();
    const { logger } = recorder();
    const exits: number[] = [];
    void runService(() => new Promise(() => {}), {
      name: 'svc',
      logger,
      shutdownTimeoutMs: 100,
      process: proc,
      exit: (code) => exits.push(code),
    });
    proc.emit('SIGTERM');
    await waitFor('the exit', () => exits.length > 0, 2_000);
    expect(exits).toEqual([1]);
  });

  it('a signal during the start stops the service as soon as it is up', async () => {
    const { proc } = fakeProcess();
    const { logger } = recorder();
    const exits: number[] = [];
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
      { name: 'svc', logger, shutdownTimeoutMs: 5_000, process: proc, exit: (code) => exits.push(code) },
    );
    proc.emit('SIGINT');
    expect(stopped).toBe(false);
    release();
    await running;
    await waitFor('the exit', () => exits.length > 0, 2_000);
    expect({ stopped, exits }).toEqual({ stopped: true, exits: [0] });
  });

  it('a failed start exits with the code onStartError gives (default 1)', async () => {
    const { proc } = fakeProcess();
    const { lines, logger } = recorder();
    const exits: number[] = [];
    const fail = async () => Promise.reject(new Error('no'));
    await runService(fail, {
      name: 'svc',
      logger,
      shutdownTimeoutMs: 100,
      process: proc,
      exit: (c) => exits.push(c),
    });
    await runService(fail, {
      name: 'svc',
      logger,
      shutdownTimeoutMs: 100,
      process: proc,
      exit: (c) => exits.push(c),
      onStartError: () => 2,
    });
    expect(exits).toEqual([1, 2]);
    expect(lines).toEqual(['error svc failed to start']);
  });

  it('stops when its parent (baton dev) is gone: the IPC channel disconnects', async () => {
    const { proc, unrefs } = fakeProcess({ channel: true });
    const { lines, logger } = recorder();
    const exits: number[] = [];
    await runService(async () => ({ stop: () => undefined }), {
      name: 'svc',
      logger,
      shutdownTimeoutMs: 5_000,
      process: proc,
      exit: (code) => exits.push(code),
    });
    expect(unrefs()).toBe(1);
    proc.emit('disconnect');
    await waitFor('the exit', () => exits.length > 0, 2_000);
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

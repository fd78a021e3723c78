import pino from 'pino';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpsServer, createRegistry, type OpsServer, type Readiness } from '../src/metrics/index.ts';

const servers: OpsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function start(state: { live: boolean; ready: Readiness | (() => Promise<Readiness>) }) {
  const registry = createRegistry('test-service');
  const server = createOpsServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    logger: pino({ level: 'silent' }),
    isLive: () => state.live,
    isReady: () => (typeof state.ready === 'function' ? state.ready() : state.ready),
  });
  servers.push(server);
  const port = await server.start();
  return { registry, base: `http://127.0.0.1:${port}` };
}

describe('createOpsServer', () => {
  it('answers /healthz 200/503 from isLive()', async () => {
    const state = { live: true, ready: true as Readiness };
    const { base } = await start(state);
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    state.live = false;
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
  });

  it('answers /readyz 200/503 with the detail', async () => {
    const state: { live: boolean; ready: Readiness | (() => Promise<Readiness>) } = {
      live: true,
      ready: { ready: false, detail: { redis: 'down', symphony: 'ok' } },
    };
    const { base } = await start(state);
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, detail: { redis: 'down', symphony: 'ok' } });
    state.ready = true;
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });
    state.ready = () => Promise.reject(new Error('probe failed'));
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, detail: { error: 'probe failed' } });
  });

  it('serves /metrics from the given registry only, with the service label and process metrics', async () => {
    const { base, registry } = await start({ live: true, ready: true });
    new Counter({ name: 'baton_test_things_total', help: 'things', registers: [registry] }).inc(3);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('baton_test_things_total{service="test-service"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
    // A second registry in the same process is independent.
    const other = createRegistry('other');
    expect(await other.metrics()).not.toContain('baton_test_things_total');
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const { base } = await start({ live: true, ready: true });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('stop() closes the port', async () => {
    const { base } = await start({ live: true, ready: true });
    await servers.pop()!.stop();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

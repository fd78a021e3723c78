import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@baton/shared';
import { testRsaKeyPair, WORKSPACE_ROOT, waitFor } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, tradingDesk } from './support/baton-dev-child.ts';
import {
  type ComposeProject,
  composeProject,
  dockerEnv,
  runCommand,
  tail,
} from './support/compose-project.ts';

// `docker compose up` for real (`pnpm test:compose`, vitest.compose.config.ts; not part of `vitest run`):
// tools/docker-engine/setup.sh gets a Docker engine, Compose v2 and local stand-ins for the public base images;
// then the images are built from the Dockerfile, the stack of docker-compose.yml comes up with its health
// checks, the bot answers /echo through the simulator's control API, the workers are scaled to 3 and each
// heartbeats, and `docker compose down -v` removes it all. Only when no Docker engine can run here at all (not
// root, no apt, dockerd will not start) is the file skipped, saying why.
//
// The repository's compose file is used as users run it, with two overrides: the builds on the host's network
// (tools/docker-engine/compose.build-host-network.yml: the engine here has no bridge), and this run's own
// secrets, ports and no .env (written below into a temporary folder, so the working tree is left alone).

const SETUP = join(WORKSPACE_ROOT, 'tools/docker-engine/setup.sh');
const STOP = join(WORKSPACE_ROOT, 'tools/docker-engine/stop.sh');
const BATON_SERVICES = ['pod-simulator', 'ingester', 'worker', 'market-data', 'dashboard'] as const;

const dir = mkdtempSync(join(tmpdir(), 'baton-compose-'));
/** Everything the docker commands printed, kept after the run (overwritten by the next one). */
const logFile = join(tmpdir(), 'baton-compose-test.log');
writeFileSync(logFile, '');
const timings: Record<string, number> = {};

const engineWasRunning =
  (await runCommand('docker', ['info'], { timeoutMs: 20_000 }).catch(() => ({ code: 1 }))).code === 0;
/** Stops the engine when this run started it (setup.sh's pidfile); one started otherwise is left running. */
const stopEngine = async () => {
  if (engineWasRunning) return;
  const stop = await runCommand('bash', [STOP], { env: dockerEnv(), timeoutMs: 90_000 });
  if (stop.code !== 0) console.error(`tools/docker-engine/stop.sh failed:\n${stop.output}`);
};
// The whole environment: setup.sh gives the node stand-in this machine's CA bundle (NODE_EXTRA_CA_CERTS).
const setup = await runCommand('bash', [SETUP], {
  env: { ...process.env } as Record<string, string>,
  timeoutMs: 900_000,
  logFile,
});
timings['setup'] = setup.ms;
/** setup.sh exits 3 when no engine can run here; any other failure fails the file. */
const engineUnavailable = setup.code === 3;
if (engineUnavailable) {
  console.warn(`compose test SKIPPED: no Docker engine can be started here.\n${tail(setup.output, 5)}`);
} else if (setup.code !== 0) {
  await stopEngine();
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`tools/docker-engine/setup.sh failed (exit ${setup.code}):\n${tail(setup.output)}`);
}

interface LiveWorker {
  id: string;
}
interface Status {
  workers: { live: number; list: LiveWorker[] } | null;
  ingester: { leader: { id: string } | null } | null;
}
interface PsEntry {
  ID: string;
  Service: string;
  Image: string;
  State: string;
  Health: string;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number }[] | null;
}

describe.skipIf(engineUnavailable)('docker compose up on a real Docker engine', () => {
  let project: ComposeProject;
  let simUrl: string;
  let dashboardUrl: string;
  const dashboardToken = randomBytes(24).toString('hex');
  let up = false;

  /** The project's containers, one entry each (`docker compose ps --format json`: an array or JSON lines). */
  const ps = async (): Promise<PsEntry[]> => {
    const out = (await project.compose(['ps', '--format', 'json'], 60_000)).output.trim();
    if (out.startsWith('[')) return JSON.parse(out) as PsEntry[];
    return out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as PsEntry);
  };
  const status = () =>
    getJson<Status>(`${dashboardUrl}/api/status`, { headers: { authorization: `Bearer ${dashboardToken}` } });
  const onFailure = async (): Promise<string> => {
    const logs = await project.tryCompose(['logs', '--no-color', '--tail', '40'], 60_000);
    return tail(logs.output, 200);
  };

  beforeAll(async () => {
    const simPort = await freePort();
    const dashboardPort = await freePort();
    simUrl = `http://127.0.0.1:${simPort}`;
    dashboardUrl = `http://127.0.0.1:${dashboardPort}`;

    // This run's secrets: what ./docker/gen-bot-key.sh writes into secrets/, here in the temporary folder.
    const { privateKeyPem, publicKeyPem } = testRsaKeyPair();
    const secret = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      chmodSync(path, 0o644); // bind-mounted as is; the services run as uid 1000
      return path;
    };
    const privatePath = secret('bot_private_key.pem', privateKeyPem);
    const publicPath = secret('bot_public_key.pem', publicKeyPem);
    const tokenPath = secret('dashboard_token', dashboardToken);

    // No .env of the working tree: not for interpolation (--env-file) nor in the containers (env_file reset).
    const envFile = join(dir, 'test.env');
    writeFileSync(
      envFile,
      `SIM_HOST_PORT=${simPort}\nDASHBOARD_HOST_PORT=${dashboardPort}\nLOG_LEVEL=info\n`,
    );
    const override = join(dir, 'compose.test.yml');
    writeFileSync(
      override,
      [
        'services:',
        ...BATON_SERVICES.flatMap((s) => [`  ${s}:`, '    env_file: !reset []']),
        'secrets:',
        `  bot_private_key: { file: ${JSON.stringify(privatePath)} }`,
        `  bot_public_key: { file: ${JSON.stringify(publicPath)} }`,
        `  dashboard_token: { file: ${JSON.stringify(tokenPath)} }`,
        '',
      ].join('\n'),
    );
    project = composeProject({
      name: `baton-compose-test-${process.pid}`,
      files: ['docker-compose.yml', 'tools/docker-engine/compose.build-host-network.yml', override],
      envFile,
      logFile,
    });
  });

  afterAll(async () => {
    try {
      if (project) {
        const down = await project.tryCompose(['down', '-v', '--remove-orphans', '--timeout', '10'], 180_000);
        timings['down'] = down.ms;
        if (down.code !== 0) console.error(`docker compose down failed:\n${tail(down.output)}`);
      }
      // Images replaced by this run's build (dangling tags) go; the build cache stays for the next run (setup.sh
      // caps the engine's data root: BATON_DOCKER_MAX_GB). No `docker builder prune`: on this engine a prune
      // that is interrupted leaves the builder hung until dockerd restarts.
      if (!engineUnavailable)
        await runCommand('docker', ['image', 'prune', '-f'], { timeoutMs: 120_000, logFile });
    } finally {
      await stopEngine();
      rmSync(dir, { recursive: true, force: true });
      const figures = Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`);
      console.log(`compose test timings (s): ${figures.join(', ')}; output of every command: ${logFile}`);
    }
  }, 300_000);

  it('builds every image from the Dockerfile', async () => {
    const build = await project.compose(['--progress', 'plain', 'build'], 1_200_000);
    timings['build'] = build.ms;
    const images = await runCommand(
      'docker',
      [
        'image',
        'inspect',
        '--format',
        '{{.Config.User}} {{json .Config.Healthcheck.Test}}',
        ...['pod-simulator', 'ingester', 'worker', 'dashboard'].map((s) => `baton/${s}:local`),
      ],
      { timeoutMs: 30_000 },
    );
    expect(images.code, images.output).toBe(0);
    // Each image runs as the unprivileged node user and carries the health probe.
    const lines = images.output.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toBe('node ["CMD","node","/app/docker-healthcheck.mjs"]');
  }, 1_200_000);

  it('comes up with every health check passing (up --wait)', async () => {
    const started = await project.tryCompose(['up', '-d', '--wait', '--wait-timeout', '300'], 420_000);
    timings['up'] = started.ms;
    up = started.code === 0;
    expect(started.code, `${tail(started.output)}\n${await onFailure()}`).toBe(0);
    const containers = await ps();
    const count = (service: string) => containers.filter((c) => c.Service === service).length;
    expect({
      redis: count('redis'),
      'pod-simulator': count('pod-simulator'),
      ingester: count('ingester'),
      worker: count('worker'),
      'market-data': count('market-data'),
      dashboard: count('dashboard'),
    }).toEqual({ redis: 1, 'pod-simulator': 1, ingester: 2, worker: 2, 'market-data': 1, dashboard: 1 });
    for (const c of containers)
      expect(`${c.Service}: ${c.State} ${c.Health}`).toBe(`${c.Service}: running healthy`);
    // market-data runs the worker's image (no build, no pull of its own).
    expect(containers.find((c) => c.Service === 'market-data')?.Image).toBe('baton/worker:local');
    // The simulator's unauthenticated control API is published on the loopback address only.
    const simPublished = containers.find((c) => c.Service === 'pod-simulator')?.Publishers ?? [];
    expect(simPublished.filter((p) => p.PublishedPort > 0).map((p) => `${p.URL}:${p.PublishedPort}`)).toEqual(
      [`127.0.0.1:${new URL(simUrl).port}`],
    );
  }, 480_000);

  it('answers /echo posted through the simulator control API on its 127.0.0.1 port', async () => {
    expect(up).toBe(true);
    const started = Date.now();
    const desk = await tradingDesk(simUrl);
    // The leading ingester reads a datafeed of the bot: a message posted before it exists would never reach it.
    await waitFor(
      "the ingester's datafeed",
      async () =>
        (await getJson<{ feeds: { userId: number }[] }>(`${simUrl}/_sim/stats`)).feeds.some(
          (f) => f.userId === desk.botId,
        ),
      60_000,
    );
    const url = `${simUrl}/_sim/streams/${encodeURIComponent(desk.streamId)}/messages`;
    const nonce = randomBytes(6).toString('hex');
    await getJson(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fromUserId: desk.aliceId, text: `@baton-bot /echo compose ${nonce}` }),
    });
    const reply = await waitFor(
      'the bot to echo the message',
      async () =>
        (await getJson<{ text: string; sender: { username: string } }[]>(url)).find(
          (m) => m.sender.username === 'baton-bot' && m.text.includes(nonce),
        ),
      60_000,
      () => 'no reply from the bot in the Trading Desk',
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await onFailure()}`);
    });
    timings['echo'] = Date.now() - started;
    expect(reply.text.trim()).toBe(`compose ${nonce}`);
  }, 120_000);

  it('scales the workers to 3 without recreating the others; all three heartbeat', async () => {
    expect(up).toBe(true);
    const before = await ps();
    const scaled = await project.compose(
      ['up', '-d', '--scale', 'worker=3', '--no-recreate', '--wait', '--wait-timeout', '180'],
      300_000,
    );
    timings['scale'] = scaled.ms;
    const after = await ps();
    // --no-recreate: every container from before is still there, as it was; one worker more.
    expect(after.map((c) => c.ID)).toEqual(expect.arrayContaining(before.map((c) => c.ID)));
    expect(after.filter((c) => c.Service === 'worker')).toHaveLength(3);
    expect(after).toHaveLength(before.length + 1);
    const live = await waitFor(
      'three live workers on the dashboard',
      async () => {
        const s = await status().catch(() => undefined);
        return s?.workers && s.workers.live === 3 ? s : undefined;
      },
      90_000,
      () => 'the dashboard did not report 3 live workers',
    );
    expect(new Set(live.workers?.list.map((w) => w.id)).size).toBe(3);
    expect(live.ingester?.leader?.id).toBeTruthy();
  }, 420_000);
});

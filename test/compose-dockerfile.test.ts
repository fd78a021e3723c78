import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, SERVICE_NODE_OPTIONS } from '@baton/shared';
import { runNode } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DockerInstruction, dockerStages, parseDockerfile } from './support/compose-files.ts';

// No Docker engine here: the Dockerfile is parsed and checked for what the images must guarantee, and the
// container health probe (docker/healthcheck.mjs) is run for real against a local HTTP server.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const allStages = dockerStages(dockerfile);
const runtime = allStages.at(-1) ?? [];
const build = allStages[0] ?? [];
const argsOf = (stage: DockerInstruction[], keyword: string): string[] =>
  stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('the parser sees continuations as one instruction (so the checks below can fail)', () => {
    const parsed = parseDockerfile('FROM a AS b\n# note\nRUN one \\\n  && two\nUSER root\n');
    expect(parsed).toEqual([
      { keyword: 'FROM', args: 'a AS b' },
      { keyword: 'RUN', args: 'one && two' },
      { keyword: 'USER', args: 'root' },
    ]);
  });

  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(allStages.length).toBeGreaterThanOrEqual(2);
    const globalArgs = dockerfile.slice(
      0,
      dockerfile.findIndex((i) => i.keyword === 'FROM'),
    );
    const nodeImage = globalArgs.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(nodeImage?.args).toBe('NODE_IMAGE=node:20-bookworm-slim');
    for (const stage of allStages) expect(stage[0]?.args).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
  });

  it('the build stage installs pnpm 10 from the frozen lockfile and deploys one PACKAGE, production only', () => {
    expect(argsOf(build, 'ARG')).toContain('PACKAGE=ingester');
    const runs = argsOf(build, 'RUN').join('\n');
    expect(runs).toMatch(/npm i -g pnpm@10\b/);
    expect(runs).toMatch(/pnpm install --frozen-lockfile/);
    expect(runs).toMatch(/pnpm deploy --filter "@baton\/\$\{PACKAGE\}" --prod/);
  });

  it('the per-image ARGs come after the shared layers (pnpm, fetch, install, compile run once for all images)', () => {
    const firstArg = build.findIndex((i) => i.keyword === 'ARG');
    expect(firstArg).toBeGreaterThan(0);
    const before = build
      .slice(0, firstArg)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(before).toMatch(/npm i -g pnpm@10/);
    expect(before).toMatch(/pnpm fetch --frozen-lockfile/);
    expect(before).toMatch(/pnpm install --frozen-lockfile/);
    expect(before).toMatch(/pnpm build/);
    expect(before).not.toMatch(/PACKAGE|ENTRY|SERVICE/);
    const after = build
      .slice(firstArg)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(after).not.toMatch(/pnpm (fetch|install|build)\b/);
    // In the runtime stage, the one ARG (SERVICE) comes after nothing that runs.
    expect(runtime.filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('the runtime stage copies only the deployed tree and the probe, and runs as a non-root user', () => {
    const copies = argsOf(runtime, 'COPY');
    expect(copies).toEqual([
      '--from=build /out/ /app/',
      'docker/healthcheck.mjs /app/docker-healthcheck.mjs',
    ]);
    const users = argsOf(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0', 'root:root']).not.toContain(users.at(-1));
    // Nothing runs after the switch to the unprivileged user could re-escalate.
    const userIndex = runtime.findLastIndex((i) => i.keyword === 'USER');
    expect(runtime.slice(userIndex + 1).filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('the build stage compiles the workspace and the runtime starts the compiled entry with source maps', () => {
    const buildRuns = argsOf(build, 'RUN').join('\n');
    expect(buildRuns).toMatch(/pnpm build/);
    expect(buildRuns).toMatch(/pnpm deploy --filter "@baton\/\$\{PACKAGE\}" --prod/);
    expect(argsOf(runtime, 'CMD')).toEqual(['["node", "--enable-source-maps", "/app/entry.mjs"]']);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).not.toMatch(/--import", "tsx|tsx src\//);
  });

  it('the runtime starts the services with their Node flags (SERVICE_NODE_OPTIONS), in NODE_OPTIONS', () => {
    // In NODE_OPTIONS rather than in CMD: a NODE_OPTIONS set in compose or Kubernetes replaces it.
    const env = argsOf(runtime, 'ENV').join(' ');
    expect(env).toContain(`NODE_OPTIONS=${SERVICE_NODE_OPTIONS} `);
    expect(argsOf(runtime, 'CMD').join(' ')).not.toMatch(/semi-space/);
  });

  it('the runtime is production and probes /healthz with node', () => {
    expect(argsOf(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    const healthchecks = argsOf(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]).toMatch(/CMD \["node", "\/app\/docker-healthcheck\.mjs"\]$/);
  });

  it('.dockerignore keeps secrets, env files, node_modules and git out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['secrets', '.env', '**/node_modules', '.git', '**/*.pem'])
      expect(ignored).toContain(entry);
    expect(ignored).not.toContain('docker');
  });
});

describe('docker/healthcheck.mjs', () => {
  let server: Server;
  let port = 0;
  let status = 200;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = status;
      res.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  const probe = async (env: Record<string, string>): Promise<number> =>
    (await runNode({ name: 'healthcheck', entry: join(root, 'docker/healthcheck.mjs'), env }, 15_000)).code ??
    -1;

  it('exits 0 when the service port variable answers 2xx on /healthz (the simulator: /_sim/stats)', async () => {
    status = 200;
    paths.length = 0;
    expect(await probe({ BATON_SERVICE: 'worker', OPS_PORT: String(port) })).toBe(0);
    expect(await probe({ BATON_SERVICE: 'dashboard', DASHBOARD_PORT: String(port) })).toBe(0);
    expect(await probe({ BATON_SERVICE: 'pod-simulator', SIM_PORT: String(port) })).toBe(0);
    expect(paths).toEqual(['/healthz', '/healthz', '/_sim/stats']);
  });

  it('exits 1 on a non-2xx answer', async () => {
    status = 503;
    expect(await probe({ BATON_SERVICE: 'ingester', OPS_PORT: String(port) })).toBe(1);
  });

  it('exits 1 when nothing listens, and HEALTHCHECK_URL overrides the port choice', async () => {
    status = 200;
    const deadPort = await freePort();
    expect(await probe({ BATON_SERVICE: 'worker', OPS_PORT: String(deadPort) })).toBe(1);
    paths.length = 0;
    const url = `http://127.0.0.1:${port}/custom`;
    expect(await probe({ BATON_SERVICE: 'worker', OPS_PORT: String(deadPort), HEALTHCHECK_URL: url })).toBe(
      0,
    );
    expect(paths).toEqual(['/custom']);
  });
});

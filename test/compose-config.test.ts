import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { type Json, loadYaml, readRepoFile as read, ROOT as root } from './support/compose-files.ts';

// No Docker engine runs where the tests run, so the compose files are checked statically:
// 1. against the Compose Specification JSON schema, vendored at test/fixtures/compose-spec.json (a copy
//    of compose-spec/compose-spec `schema/compose-spec.json`, as shipped in the `docker-compose` npm
//    package, Apache-2.0);
// 2. for the properties Baton relies on (scalable workers, durable Redis, secrets as files, probes).
// When a `docker-compose` binary is installed, `docker-compose config -q` is run as well.

const compose = loadYaml('docker-compose.yml');
const realPod = loadYaml('docker-compose.real-pod.yml');
const services = compose['services'] as Record<string, Json>;
const service = (name: string): Json => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

function compileComposeSchema(): ValidateFunction {
  const schema = JSON.parse(read('test/fixtures/compose-spec.json')) as Json;
  // The schema names draft-07 by its https URL, which Ajv does not register; it is draft-07 all the same.
  delete schema['$schema'];
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}
const validateCompose = compileComposeSchema();
const schemaErrors = (doc: unknown): string[] =>
  validateCompose(doc) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

const BATON_SERVICES = ['pod-simulator', 'ingester', 'worker', 'dashboard'] as const;

describe('docker-compose.yml against the Compose Specification schema', () => {
  it('is valid', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('the real-pod override is valid', () => {
    expect(schemaErrors(realPod)).toEqual([]);
  });

  it('the schema rejects what compose would reject (the check can fail)', () => {
    const broken = structuredClone(compose) as { services: Record<string, Json> };
    broken.services['worker'] = { ...service('worker'), replicas: 3 };
    expect(schemaErrors(broken).length).toBeGreaterThan(0);
    const badDepends = structuredClone(compose) as { services: Record<string, Json> };
    badDepends.services['ingester'] = { ...service('ingester'), depends_on: { redis: { condition: 'up' } } };
    expect(schemaErrors(badDepends).length).toBeGreaterThan(0);
  });
});

describe('docker-compose.yml structure', () => {
  it('has the expected services, with redisinsight only under the tools profile', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['dashboard', 'ingester', 'market-data', 'pod-simulator', 'redis', 'redisinsight', 'worker'].sort(),
    );
    expect(service('redisinsight')['profiles']).toEqual(['tools']);
    for (const name of ['redis', ...BATON_SERVICES]) expect(service(name)['profiles']).toBeUndefined();
  });

  it('every service has a healthcheck with a test command', () => {
    for (const [name, svc] of Object.entries(services)) {
      const healthcheck = svc['healthcheck'] as Json | undefined;
      expect(healthcheck, name).toBeDefined();
      expect(healthcheck?.['disable'], name).not.toBe(true);
      const test = healthcheck?.['test'];
      expect(Array.isArray(test) && test.length > 1 && test[0] !== 'NONE', name).toBe(true);
    }
  });

  it('Baton services build from the one Dockerfile with their PACKAGE/SERVICE args and probe with the node script', () => {
    for (const name of BATON_SERVICES) {
      const build = service(name)['build'] as Json;
      expect(build['dockerfile'], name).toBe('Dockerfile');
      expect(build['context'], name).toBe('.');
      const args = build['args'] as Json;
      // SERVICE (what the probe checks) defaults to PACKAGE in the Dockerfile.
      expect(args['SERVICE'] ?? args['PACKAGE'], name).toBe(name);
      const test = (service(name)['healthcheck'] as Json)['test'] as string[];
      expect(test, name).toEqual(['CMD', 'node', '/app/docker-healthcheck.mjs']);
    }
  });

  it('the worker is scalable: no container_name, no host port, replicated', () => {
    const worker = service('worker');
    expect(worker['container_name']).toBeUndefined();
    expect(worker['ports']).toBeUndefined();
    expect((worker['deploy'] as Json)['replicas']).toBeGreaterThanOrEqual(1);
  });

  it('the ingester runs 2 replicas (leader election) and so has no container_name or host port', () => {
    const ingester = service('ingester');
    expect((ingester['deploy'] as Json)['replicas']).toBe(2);
    expect(ingester['container_name']).toBeUndefined();
    expect(ingester['ports']).toBeUndefined();
  });

  it('the worker image is built once: market-data runs it without a build of its own and never pulls it', () => {
    const marketData = service('market-data');
    expect(marketData['build']).toBeUndefined();
    expect(marketData['image']).toBe(service('worker')['image']);
    expect(marketData['pull_policy']).toBe('never');
    const built = Object.values(services)
      .filter((svc) => svc['build'] !== undefined)
      .map((svc) => svc['image']);
    expect(new Set(built).size, 'one build per image tag').toBe(built.length);
  });

  it('ports published on the host: the unauthenticated simulator on loopback only, the dashboard behind its token', () => {
    const sim = (service('pod-simulator')['ports'] as string[]).map(String);
    expect(sim.length).toBeGreaterThan(0);
    for (const port of sim) expect(port, 'pod-simulator').toMatch(/^127\.0\.0\.1:/);
    expect((service('dashboard')['environment'] as Json)['DASHBOARD_TOKEN_FILE']).toBeDefined();
  });

  it('no service pins a container_name (it would block scaling and parallel projects)', () => {
    for (const [name, svc] of Object.entries(services)) expect(svc['container_name'], name).toBeUndefined();
  });

  it('redis is durable: AOF with everysec fsync, noeviction, a named volume on /data, a ping probe', () => {
    const redis = service('redis');
    expect(String(redis['image'])).toMatch(/^redis:7/);
    const command = (redis['command'] as string[]).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    const volumes = redis['volumes'] as string[];
    const dataVolume = volumes.map((v) => v.split(':')).find(([, target]) => target === '/data');
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose['volumes'] as Json)).toContain(dataVolume?.[0]);
    expect((redis['healthcheck'] as Json)['test']).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('the bot private key is a file secret mounted at /run/secrets/bot_private_key, never in the environment', () => {
    const secrets = compose['secrets'] as Record<string, Json>;
    for (const [name, secret] of Object.entries(secrets)) {
      expect(typeof secret['file'], name).toBe('string');
      expect(String(secret['file']), name).toMatch(/^\.\/secrets\//);
      expect(secret['environment'], name).toBeUndefined();
    }
    for (const name of ['ingester', 'worker']) {
      const svc = service(name);
      const env = svc['environment'] as Json;
      expect(env['SYMPHONY_PRIVATE_KEY_FILE'], name).toBe('/run/secrets/bot_private_key');
      const mounted = (svc['secrets'] as Json[]).map((s) => s['target']);
      expect(mounted, name).toContain('bot_private_key');
    }
    // No environment anywhere carries key material or a variable that would.
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries((svc['environment'] as Json | undefined) ?? {})) {
        expect(String(value), `${name}.${key}`).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
        expect(key, name).not.toMatch(/PRIVATE_KEY$/);
      }
    }
    expect(read('.dockerignore')).toMatch(/^secrets$/m);
    expect(read('docker/gen-bot-key.sh')).toMatch(/\.gitignore/);
  });

  it('Baton services wait for a healthy redis; the simulator dependency is optional for the real-pod mode', () => {
    for (const name of ['ingester', 'worker']) {
      const dependsOn = service(name)['depends_on'] as Record<string, Json>;
      expect(dependsOn['redis']?.['condition'], name).toBe('service_healthy');
      expect(dependsOn['pod-simulator']?.['required'], name).toBe(false);
    }
    expect((service('dashboard')['depends_on'] as Record<string, Json>)['redis']?.['condition']).toBe(
      'service_healthy',
    );
  });

  it('the simulator comes up by default, seeded, and the real-pod override switches it off', () => {
    const sim = service('pod-simulator');
    const env = sim['environment'] as Json;
    const seedTarget = (sim['configs'] as Json[]).find((c) => c['source'] === 'sim_seed')?.['target'];
    expect(env['SIM_SEED']).toBe(seedTarget);
    expect(((compose['configs'] as Json)['sim_seed'] as Json)['file']).toBe('./docker/sim-seed.yaml');
    const overridden = (realPod['services'] as Record<string, Json>)['pod-simulator'];
    expect(overridden?.['profiles']).toEqual(['simulator']);
  });

  it('the seed creates the bot compose logs in as, keyed with the mounted public key', () => {
    const seed = loadYaml('docker/sim-seed.yaml') as { users: Json[]; rooms: { members: string[] }[] };
    const defaultBot = /SYMPHONY_BOT_USERNAME:-([^}]+)\}/.exec(read('docker-compose.yml'))?.[1];
    const bot = seed.users.find((u) => u['bot'] === true);
    expect(bot?.['username']).toBe(defaultBot);
    const publicKeyTarget = (service('pod-simulator')['secrets'] as Json[]).find(
      (s) => s['source'] === 'bot_public_key',
    )?.['target'];
    expect(bot?.['publicKeyPath']).toBe(`/run/secrets/${publicKeyTarget}`);
    const usernames = new Set(seed.users.map((u) => u['username']));
    for (const room of seed.rooms) for (const member of room.members) expect(usernames).toContain(member);
  });

  it('every variable the compose files interpolate is documented in .env.example', () => {
    const documented = new Set(
      [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string),
    );
    const referenced = new Set(
      [
        ...`${read('docker-compose.yml')}\n${read('docker-compose.real-pod.yml')}`.matchAll(
          /\$\{([A-Z0-9_]+)/g,
        ),
      ].map((m) => m[1] as string),
    );
    expect(referenced.size).toBeGreaterThan(5);
    for (const name of referenced) expect(documented.has(name), name).toBe(true);
  });

  it('every image the compose file builds runs compiled JavaScript of a publishable package: no tsx', () => {
    const dirs = ['packages', 'services', 'bots'];
    const packageDir = (name: string) =>
      dirs
        .map((d) => join(root, d, name === 'reference-bot' ? 'reference' : name))
        .find((d) => existsSync(d));
    const manifest = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        files?: string[];
        scripts?: Record<string, string>;
        dependencies?: Record<string, string>;
      };
    let checked = 0;
    for (const [name, svc] of Object.entries(services)) {
      const args = (svc['build'] as Json | undefined)?.['args'] as Json | undefined;
      if (!args) continue;
      const pkgName = String(args['PACKAGE']);
      const entry = String(args['ENTRY']);
      const dir = packageDir(pkgName);
      expect(dir, `${name}: PACKAGE ${pkgName}`).toBeDefined();
      const pkg = manifest(dir as string);
      expect(pkg.name, name).toBe(`@baton/${pkgName}`);
      expect(pkg.dependencies?.['tsx'], `${name}: tsx is no runtime dependency`).toBeUndefined();
      expect(pkg.files, name).toContain('dist');
      expect(pkg.scripts?.['build'], name).toMatch(/tsc -p tsconfig\.build\.json/);
      // ENTRY is dist/<x>.js of the package, or of a dependency (the worker runtime the bot package depends on).
      const dep = /^node_modules\/(@baton\/[a-z-]+)\/(dist\/.+)\.js$/.exec(entry);
      if (dep) {
        expect(pkg.dependencies?.[dep[1] as string], `${name}: depends on ${dep[1]}`).toBeDefined();
        const depDir = packageDir((dep[1] as string).slice('@baton/'.length)) as string;
        expect(existsSync(join(depDir, `${(dep[2] as string).replace(/^dist/, 'src')}.ts`)), entry).toBe(
          true,
        );
        expect(manifest(depDir).dependencies?.['tsx'], `${dep[1]}: no tsx`).toBeUndefined();
      } else {
        expect(entry, name).toMatch(/^dist\/.+\.js$/);
        expect(
          existsSync(join(dir as string, entry.replace(/^dist/, 'src').replace(/\.js$/, '.ts'))),
          entry,
        ).toBe(true);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const command = service('market-data')['command'] as string[];
    expect(command.slice(0, 2)).toEqual(['node', '--enable-source-maps']);
    expect(
      existsSync(
        join(
          packageDir('reference-bot') as string,
          (command[2] as string).replace(/^dist/, 'src').replace(/\.js$/, '.ts'),
        ),
      ),
    ).toBe(true);
  });
});

const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const hasDockerCompose = !dockerCompose.error && dockerCompose.status === 0;

describe('docker-compose config', () => {
  it.skipIf(!hasDockerCompose)('accepts the file (skipped: no docker-compose binary installed)', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

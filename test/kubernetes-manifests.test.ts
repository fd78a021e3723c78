import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardConfigSchema, loadConfig as loadDashboardConfig } from '@baton/dashboard';
import { ingesterConfigSchema, loadConfig as loadIngesterConfig } from '@baton/ingester';
import { loadConfig as loadSimConfig, simConfigSchema } from '@baton/pod-simulator';
import {
  fakeMarketDataEnvSchema,
  loadFakeMarketDataConfig,
  loadReferenceBotEnv,
  referenceBotEnvSchema,
} from '@baton/reference-bot';
import { testRsaKeyPair } from '@baton/testing';
import { loadConfig as loadWorkerConfig, workerEnvSchema } from '@baton/worker';
import type { IContainer, IPodSpec, IProbe } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  composeServices,
  dockerStages,
  interpolate,
  type Json,
  loadYaml,
  parseDockerfile,
  readRepoFile,
} from './support/compose-files.ts';
import {
  hasKubectl,
  type K8sObject,
  KUSTOMIZATIONS,
  KUSTOMIZE_DIR,
  type Kustomization,
  quantity,
  render,
  schemaErrors,
  selects,
} from './support/kustomize-render.ts';

// deploy/kubernetes rendered by the real `kubectl kustomize` (kubectl 1.32 / Kustomize 5.5 on these machines),
// every object validated against the Kubernetes and KEDA schemas, then checked against what the services really
// read (their zod config schemas and loaders), the compose file and the Dockerfile. No cluster is needed.

const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

describe('kubectl', () => {
  it.skipIf(hasKubectl || inCi)('is not installed: the Kubernetes manifest tests are skipped', () => {});
  it.runIf(inCi)('is installed in CI (the manifest tests must not be skipped there)', () => {
    expect(hasKubectl).toBe(true);
  });
});

type Rendered = Record<Kustomization, K8sObject[]>;
const rendered = {} as Rendered;

interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number; maxUnavailable?: number } };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: IPodSpec;
    };
  } & Json;
}

const ofKind = <T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] =>
  objects.filter((o) => o.kind === kind) as T[];
const named = <T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string, name: string): T => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found as T;
};
const mainContainer = (d: Deployment): IContainer => {
  const container = d.spec.template.spec.containers[0];
  if (!container) throw new Error(`${d.metadata.name} has no container`);
  return container;
};

/** Which service a container runs, told by its image (and, for the worker image, its command). */
type Role = 'ingester' | 'worker' | 'dashboard' | 'pod-simulator' | 'market-data' | 'redis';
function roleOf(container: IContainer): Role {
  const image = container.image ?? '';
  if (image.startsWith('redis:')) return 'redis';
  const name = /^baton\/([a-z-]+):/.exec(image)?.[1];
  if (name === 'worker' && (container.command ?? []).join(' ').includes('fake-market-data-main.js'))
    return 'market-data';
  if (name === 'ingester' || name === 'worker' || name === 'dashboard' || name === 'pod-simulator')
    return name;
  throw new Error(`unknown image ${image}`);
}

/** The variables each service reads: its config schema's keys (any may be given as `<NAME>_FILE`). */
const SCHEMAS: Record<Exclude<Role, 'redis'>, z.ZodObject[]> = {
  ingester: [ingesterConfigSchema as unknown as z.ZodObject],
  // The worker image runs the reference bot, which parses its own variables.
  worker: [workerEnvSchema as unknown as z.ZodObject, referenceBotEnvSchema as unknown as z.ZodObject],
  dashboard: [dashboardConfigSchema as unknown as z.ZodObject],
  'pod-simulator': [simConfigSchema as unknown as z.ZodObject],
  'market-data': [fakeMarketDataEnvSchema as unknown as z.ZodObject],
};
const knownVariables = (role: Exclude<Role, 'redis'>): Set<string> =>
  new Set(SCHEMAS[role].flatMap((schema) => Object.keys(schema.shape).flatMap((k) => [k, `${k}_FILE`])));

/** The container's environment as the kubelet would give it: ConfigMaps (envFrom) first, then `env`. */
function containerEnv(objects: K8sObject[], d: Deployment, container: IContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    expect(name, `${d.metadata.name}: only ConfigMap envFrom`).toBeDefined();
    const map = named(objects, 'ConfigMap', name as string);
    Object.assign(env, map['data'] as Record<string, string>);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name')
      env[variable.name] = `${d.metadata.name}-0`;
    else throw new Error(`${d.metadata.name}.${variable.name}: unexpected valueFrom`);
  }
  return env;
}

/** Files the pod mounts from Secrets: path in the container → {secret, key}. */
function secretFiles(spec: IPodSpec, container: IContainer): Map<string, { secret: string; key: string }> {
  const files = new Map<string, { secret: string; key: string }>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = (spec.volumes ?? []).find((v) => v.name === mount.name);
    const secret = volume?.secret;
    if (!secret?.secretName) continue;
    for (const item of secret.items ?? []) {
      files.set(`${mount.mountPath}/${item.path}`, { secret: secret.secretName, key: item.key });
    }
  }
  return files;
}

/** The port number a probe or Service names (by container port name or number). */
function portNumber(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

const httpPath = (probe: IProbe | undefined): string | undefined => probe?.httpGet?.path;

beforeAll(() => {
  if (!hasKubectl) return;
  for (const k of KUSTOMIZATIONS) rendered[k] = render(join(KUSTOMIZE_DIR, k));
});

describe.skipIf(!hasKubectl)('kubectl kustomize renders every overlay, valid against the schemas', () => {
  it.each(KUSTOMIZATIONS)('%s: every object is a valid Kubernetes / KEDA object', (k) => {
    const objects = rendered[k];
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
  });

  it('the validation can fail: a wrong type, a missing required field and an unknown kind are rejected', () => {
    const worker = structuredClone(named<Deployment>(rendered.base, 'Deployment', 'worker'));
    worker.spec.replicas = 'two' as unknown as number;
    expect(schemaErrors(worker).join()).toMatch(/replicas must be integer/);
    const probeless = structuredClone(named<Deployment>(rendered.base, 'Deployment', 'worker'));
    delete ((mainContainer(probeless).livenessProbe?.httpGet ?? {}) as Json)['port'];
    expect(schemaErrors(probeless).join()).toMatch(/port/);
    const scaled = structuredClone(named(rendered['overlays/production'], 'ScaledObject', 'worker'));
    ((scaled['spec'] as Json)['scaleTargetRef'] as Json)['name'] = 7;
    expect(schemaErrors(scaled).join()).toMatch(/name must be string/);
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toHaveLength(1);
  });

  it('the overlays put everything in their own namespace; the base sets none', () => {
    for (const [k, namespace] of [
      ['overlays/demo', 'baton-demo'],
      ['overlays/production', 'baton'],
    ] as const) {
      const objects = rendered[k];
      expect(named(objects, 'Namespace', namespace)).toBeDefined();
      for (const o of objects.filter((x) => x.kind !== 'Namespace'))
        expect(o.metadata.namespace, `${k} ${o.kind}/${o.metadata.name}`).toBe(namespace);
    }
    for (const o of rendered.base) expect(o.metadata.namespace).toBeUndefined();
  });

  it('the demo has the simulator, its Redis and market data; production and the base have none of them', () => {
    const names = (k: Kustomization) =>
      ofKind(rendered[k], 'Deployment')
        .map((d) => d.metadata.name)
        .sort();
    expect(names('overlays/demo')).toEqual(
      ['dashboard', 'ingester', 'market-data', 'pod-simulator', 'redis', 'worker'].sort(),
    );
    expect(names('overlays/production')).toEqual(['dashboard', 'ingester', 'worker']);
    expect(names('base')).toEqual(['dashboard', 'ingester', 'worker']);
    for (const k of ['base', 'overlays/production'] as const)
      expect(JSON.stringify(rendered[k])).not.toMatch(/pod-simulator|_sim\//);
  });
});

describe.skipIf(!hasKubectl)("each container's config is what the service really reads", () => {
  let dir = '';
  const keys = testRsaKeyPair();
  const secretValues: Record<string, string> = {
    bot_private_key: keys.privateKeyPem,
    bot_public_key: keys.publicKeyPem,
    dashboard_token: randomBytes(24).toString('hex'),
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-k8s-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The container env with every mounted secret file replaced by a temporary file holding a valid value. */
  function runnableEnv(objects: K8sObject[], d: Deployment, container: IContainer): Record<string, string> {
    const env = containerEnv(objects, d, container);
    const files = secretFiles(d.spec.template.spec, container);
    for (const [name, value] of Object.entries(env)) {
      if (!name.endsWith('_FILE')) continue;
      const mounted = files.get(value);
      expect(mounted, `${d.metadata.name}.${name}=${value} names a mounted Secret file`).toBeDefined();
      const path = join(dir, `${mounted?.secret}-${mounted?.key}`);
      writeFileSync(path, `${secretValues[mounted?.key as string] ?? 'unknown secret key'}\n`);
      env[name] = path;
    }
    return env;
  }

  /**
   * Parses the container's env with the service's own loader; returns the port it will listen on, its host and
   * its SIGTERM bound (`SHUTDOWN_TIMEOUT_MS`, for the services that have one).
   */
  function load(
    role: Exclude<Role, 'redis'>,
    env: Record<string, string>,
  ): { port: number; host: string; shutdownMs?: number } {
    const shutdownOf = (c: object): number | undefined =>
      (c as { SHUTDOWN_TIMEOUT_MS?: number }).SHUTDOWN_TIMEOUT_MS;
    switch (role) {
      case 'ingester': {
        const c = loadIngesterConfig(env);
        return { port: c.OPS_PORT, host: c.OPS_HOST, shutdownMs: shutdownOf(c) };
      }
      case 'worker': {
        const c = loadWorkerConfig(env);
        loadReferenceBotEnv(env);
        return { port: c.OPS_PORT, host: c.OPS_HOST, shutdownMs: shutdownOf(c) };
      }
      case 'dashboard': {
        const c = loadDashboardConfig(env);
        return { port: c.DASHBOARD_PORT, host: c.DASHBOARD_HOST, shutdownMs: shutdownOf(c) };
      }
      case 'pod-simulator': {
        const c = loadSimConfig(env);
        return { port: c.SIM_PORT, host: c.SIM_HOST };
      }
      case 'market-data': {
        const c = loadFakeMarketDataConfig(env);
        return { port: c.MARKET_DATA_PORT, host: c.MARKET_DATA_HOST };
      }
    }
  }

  const EXPECTED_PROBES: Record<Exclude<Role, 'redis'>, { live: RegExp; ready: RegExp }> = {
    ingester: { live: /^\/healthz$/, ready: /^\/readyz$/ },
    worker: { live: /^\/healthz$/, ready: /^\/readyz$/ },
    // The dashboard serves /healthz only; the simulator has no /healthz (its compose probe uses /_sim/stats).
    dashboard: { live: /^\/healthz$/, ready: /^\/healthz$/ },
    'pod-simulator': { live: /^\/_sim\/stats$/, ready: /^\/_sim\/stats$/ },
    'market-data': { live: /^\/quote\/[A-Z]+$/, ready: /^\/quote\/[A-Z]+$/ },
  };

  it.each(KUSTOMIZATIONS)(
    '%s: env names are schema variables, the loaders accept the env, probes and ports match it',
    (k) => {
      const objects = rendered[k];
      let checked = 0;
      for (const d of ofKind<Deployment>(objects, 'Deployment')) {
        const container = mainContainer(d);
        const role = roleOf(container);
        if (role === 'redis') continue;
        const env = containerEnv(objects, d, container);
        const known = knownVariables(role);
        expect(
          Object.keys(env).filter((name) => !known.has(name)),
          `${k} ${d.metadata.name}: variables no schema of ${role} reads`,
        ).toEqual([]);
        const { port, host } = load(role, runnableEnv(objects, d, container));
        // The kubelet probes the pod IP: the service must not bind loopback only.
        expect(host, `${d.metadata.name} bind host`).toBe('0.0.0.0');
        expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
        const expected = EXPECTED_PROBES[role];
        for (const [probe, path] of [
          [container.livenessProbe, expected.live],
          [container.readinessProbe, expected.ready],
          ...(container.startupProbe ? [[container.startupProbe, expected.live] as const] : []),
        ] as const) {
          expect(httpPath(probe), `${d.metadata.name} probe path`).toMatch(path);
          expect(portNumber(container, probe?.httpGet?.port), `${d.metadata.name} probe port`).toBe(port);
        }
        const annotations = d.spec.template.metadata.annotations ?? {};
        if (annotations['prometheus.io/port'] !== undefined)
          expect(Number(annotations['prometheus.io/port']), d.metadata.name).toBe(port);
        checked += 1;
      }
      expect(checked).toBeGreaterThanOrEqual(3);
    },
  );

  it('the check can fail: an unknown variable and a wrong port are caught', () => {
    const objects = rendered.base;
    const ingester = named<Deployment>(objects, 'Deployment', 'ingester');
    const broken = structuredClone(mainContainer(ingester));
    broken.env = [...(broken.env ?? []), { name: 'OPS_PROT', value: '9464' }];
    const env = containerEnv(objects, ingester, broken);
    expect(Object.keys(env).filter((n) => !knownVariables('ingester').has(n))).toEqual(['OPS_PROT']);
    const wrongPort = runnableEnv(objects, ingester, mainContainer(ingester));
    wrongPort['OPS_PORT'] = '9999';
    expect(load('ingester', wrongPort).port).not.toBe(mainContainer(ingester).ports?.[0]?.containerPort);
    expect(() => load('ingester', { ...wrongPort, SYMPHONY_PRIVATE_KEY_FILE: join(dir, 'none') })).toThrow(
      /SYMPHONY_PRIVATE_KEY_FILE/,
    );
  });

  it.each(KUSTOMIZATIONS)(
    "%s: the kill grace is above each service's own SIGTERM bound (SHUTDOWN_TIMEOUT_MS)",
    (k) => {
      const objects = rendered[k];
      const bounded: string[] = [];
      for (const d of ofKind<Deployment>(objects, 'Deployment')) {
        const container = mainContainer(d);
        const role = roleOf(container);
        if (role === 'redis') continue;
        const { shutdownMs } = load(role, runnableEnv(objects, d, container));
        if (shutdownMs === undefined) continue;
        const graceMs = (d.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
        // A margin for re-scheduling interrupted streams and closing connections after the timeout.
        expect(
          graceMs,
          `${d.metadata.name}: grace vs SHUTDOWN_TIMEOUT_MS ${shutdownMs}`,
        ).toBeGreaterThanOrEqual(shutdownMs + 10_000);
        bounded.push(d.metadata.name);
      }
      expect(bounded).toContain('worker');
    },
  );

  it('every Service targets a port its selected pods declare', () => {
    for (const k of KUSTOMIZATIONS) {
      const objects = rendered[k];
      for (const service of ofKind(objects, 'Service')) {
        const spec = service['spec'] as { selector: Record<string, string>; ports: Json[]; type?: string };
        const pods = ofKind<Deployment>(objects, 'Deployment').filter((d) =>
          selects({ matchLabels: spec.selector }, d.spec.template.metadata.labels),
        );
        expect(pods.length, `${k} Service/${service.metadata.name} selects a Deployment`).toBeGreaterThan(0);
        for (const port of spec.ports)
          for (const pod of pods)
            expect(portNumber(mainContainer(pod), port['targetPort'] as string), service.metadata.name).toBe(
              port['port'],
            );
        expect(
          spec.type ?? 'ClusterIP',
          `${service.metadata.name}: nothing exposed outside the cluster`,
        ).toBe('ClusterIP');
      }
    }
  });
});

describe.skipIf(!hasKubectl)('images, users and secrets match docker-compose.yml and the Dockerfile', () => {
  const compose = composeServices();
  const composeSecrets = loadYaml('docker-compose.yml')['secrets'] as Record<string, { file: string }>;
  const runtime = dockerStages(parseDockerfile(readRepoFile('Dockerfile'))).at(-1) ?? [];

  it('every image is the one compose builds or pulls for the same service', () => {
    for (const k of KUSTOMIZATIONS) {
      for (const d of ofKind<Deployment>(rendered[k], 'Deployment')) {
        const container = mainContainer(d);
        const svc = compose[d.metadata.name];
        expect(svc, `${k}: compose has a service ${d.metadata.name}`).toBeDefined();
        expect(container.image, `${k} ${d.metadata.name}`).toBe(svc?.['image']);
        // The worker image's market-data runs the same command as in compose; the others run the image's CMD.
        expect(container.command, d.metadata.name).toEqual(svc?.['command']);
      }
    }
  });

  it("pods run as the Dockerfile's unprivileged user, from its WORKDIR (BOT_MODULE as compose gives it)", () => {
    expect(runtime.filter((i) => i.keyword === 'USER').at(-1)?.args).toBe('node');
    expect(runtime.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args).toBe('/app');
    for (const k of KUSTOMIZATIONS) {
      for (const d of ofKind<Deployment>(rendered[k], 'Deployment')) {
        const pod = d.spec.template.spec.securityContext;
        // uid 1000 is `node` in the node:20-bookworm-slim image; 999 is `redis` in redis:7.
        expect(pod?.runAsUser, d.metadata.name).toBe(d.metadata.name === 'redis' ? 999 : 1000);
      }
    }
    const worker = named<Deployment>(rendered.base, 'Deployment', 'worker');
    const env = containerEnv(rendered.base, worker, mainContainer(worker));
    expect(env['BOT_MODULE']).toBe(((compose['worker']?.['environment'] ?? {}) as Json)['BOT_MODULE']);
  });

  it('Secret keys are the compose secret names, mounted where compose mounts them, behind the same *_FILE variables', () => {
    for (const k of KUSTOMIZATIONS) {
      const objects = rendered[k];
      for (const d of ofKind<Deployment>(objects, 'Deployment')) {
        const container = mainContainer(d);
        const files = secretFiles(d.spec.template.spec, container);
        const svc = compose[d.metadata.name] ?? {};
        const composeMounts = ((svc['secrets'] as Json[] | undefined) ?? []).map(
          (s) => `/run/secrets/${String(s['target'])}`,
        );
        expect([...files.keys()].sort(), `${k} ${d.metadata.name}`).toEqual(composeMounts.sort());
        for (const { key } of files.values()) expect(Object.keys(composeSecrets)).toContain(key);
        const env = containerEnv(objects, d, container);
        const composeEnv = (svc['environment'] as Json | undefined) ?? {};
        for (const [name, value] of Object.entries(env).filter(([n]) => n.endsWith('_FILE')))
          expect(value, `${d.metadata.name}.${name}`).toBe(interpolate(composeEnv[name]));
      }
    }
  });

  it('docs/kubernetes.md creates every Secret the overlays mount, with the keys they read, from the compose files', () => {
    const docs = readRepoFile('docs/kubernetes.md');
    const created = new Map<string, Map<string, string>>();
    for (const m of docs.matchAll(
      /kubectl\b[^\n]*\bcreate secret generic ([a-z0-9-]+)((?:\s+--from-file=\S+)+)/g,
    )) {
      const fromFiles = new Map<string, string>();
      for (const f of (m[2] as string).matchAll(/--from-file=([a-z_]+)=(\S+)/g))
        fromFiles.set(f[1] as string, f[2] as string);
      created.set(m[1] as string, fromFiles);
    }
    for (const k of KUSTOMIZATIONS) {
      for (const d of ofKind<Deployment>(rendered[k], 'Deployment')) {
        for (const { secret, key } of secretFiles(d.spec.template.spec, mainContainer(d)).values()) {
          const file = created.get(secret)?.get(key);
          expect(file, `docs create ${secret} with key ${key}`).toBeDefined();
          expect(`./${file}`).toBe(composeSecrets[key]?.file);
        }
      }
    }
  });

  it("the demo's seed is docker/sim-seed.yaml, mounted where SIM_SEED points", () => {
    expect(readFileSync(join(KUSTOMIZE_DIR, 'overlays/demo/sim-seed.yaml'), 'utf8')).toBe(
      readRepoFile('docker/sim-seed.yaml'),
    );
    const objects = rendered['overlays/demo'];
    const sim = named<Deployment>(objects, 'Deployment', 'pod-simulator');
    const container = mainContainer(sim);
    const env = containerEnv(objects, sim, container);
    const mount = container.volumeMounts?.find((m) => env['SIM_SEED']?.startsWith(`${m.mountPath}/`));
    const volume = sim.spec.template.spec.volumes?.find((v) => v.name === mount?.name);
    const map = named(objects, 'ConfigMap', volume?.configMap?.name as string);
    expect(Object.keys(map['data'] as Json)).toContain(env['SIM_SEED']?.slice(`${mount?.mountPath}/`.length));
    expect(env['SIM_SEED']).toBe(((compose['pod-simulator']?.['environment'] ?? {}) as Json)['SIM_SEED']);
  });
});

describe.skipIf(!hasKubectl)('production properties', () => {
  it.each(KUSTOMIZATIONS)(
    '%s: every pod is non-root with a read-only root filesystem, no privilege, no token',
    (k) => {
      for (const d of ofKind<Deployment>(rendered[k], 'Deployment')) {
        const spec = d.spec.template.spec;
        expect(spec.automountServiceAccountToken, d.metadata.name).toBe(false);
        expect(spec.securityContext?.runAsNonRoot, d.metadata.name).toBe(true);
        expect(spec.securityContext?.runAsUser, d.metadata.name).toBeGreaterThan(0);
        expect(spec.securityContext?.seccompProfile?.type, d.metadata.name).toBe('RuntimeDefault');
        for (const c of spec.containers) {
          expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
          expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
          expect(c.securityContext?.capabilities?.drop, c.name).toEqual(['ALL']);
          expect(c.securityContext?.privileged, c.name).not.toBe(true);
        }
      }
    },
  );

  // Measured with the compiled build (docs/benchmarks.md, "Compiled build vs tsx at run time"): idle RSS after
  // start and peak RSS of `pnpm bench --quick` steady (the ingester and the largest worker), in MB.
  const MEASURED_MB: Record<string, { idle: number; peak?: number }> = {
    ingester: { idle: 86, peak: 143.1 },
    worker: { idle: 86, peak: 136.7 },
    dashboard: { idle: 90 },
    'pod-simulator': { idle: 83 },
    'market-data': { idle: 56 },
  };

  it.each(KUSTOMIZATIONS)(
    '%s: requests cover the measured RSS, limits leave 2x headroom, CPU is bounded',
    (k) => {
      for (const d of ofKind<Deployment>(rendered[k], 'Deployment')) {
        const { requests = {}, limits = {} } = mainContainer(d).resources ?? {};
        for (const r of ['cpu', 'memory']) {
          expect(requests[r], `${d.metadata.name} requests.${r}`).toBeDefined();
          expect(limits[r], `${d.metadata.name} limits.${r}`).toBeDefined();
        }
        expect(quantity(limits['cpu'] as string)).toBeGreaterThanOrEqual(quantity(requests['cpu'] as string));
        const measured = MEASURED_MB[d.metadata.name];
        if (!measured) continue;
        const mb = (q: unknown) => quantity(q as string) / 1e6;
        const working = measured.peak ?? measured.idle * 1.3;
        expect(
          mb(requests['memory']),
          `${d.metadata.name} memory request vs measured`,
        ).toBeGreaterThanOrEqual(working);
        expect(mb(limits['memory']), `${d.metadata.name} memory limit vs measured`).toBeGreaterThanOrEqual(
          2 * working,
        );
      }
    },
  );

  it.each(KUSTOMIZATIONS)(
    '%s: 2 ingesters on different nodes, rolled one at a time, and a PDB keeps one',
    (k) => {
      const objects = rendered[k];
      const ingester = named<Deployment>(objects, 'Deployment', 'ingester');
      expect(ingester.spec.replicas).toBe(2);
      expect(ingester.spec.strategy?.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
      const anti = ingester.spec.template.spec.affinity?.podAntiAffinity;
      const terms =
        k === 'overlays/production'
          ? (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
          : (anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm);
      expect(terms.length, k).toBe(1);
      expect(terms[0]?.topologyKey).toBe('kubernetes.io/hostname');
      expect(selects(terms[0]?.labelSelector as Json, ingester.spec.template.metadata.labels)).toBe(true);
      const pdbs = ofKind(objects, 'PodDisruptionBudget');
      const pdbFor = (d: Deployment) =>
        pdbs.filter((p) => selects((p['spec'] as Json)['selector'] as Json, d.spec.template.metadata.labels));
      expect(pdbFor(ingester).map((p) => (p['spec'] as Json)['minAvailable'])).toEqual([1]);
      expect(pdbFor(named<Deployment>(objects, 'Deployment', 'worker'))).toHaveLength(1);
      for (const pdb of pdbs)
        expect(
          ofKind<Deployment>(objects, 'Deployment').some((d) =>
            selects((pdb['spec'] as Json)['selector'] as Json, d.spec.template.metadata.labels),
          ),
          `PDB ${pdb.metadata.name} selects a Deployment`,
        ).toBe(true);
    },
  );
});

describe.skipIf(!hasKubectl)('network policies', () => {
  interface Rule {
    from?: Json[];
    to?: Json[];
    ports?: { protocol?: string; port?: number }[];
  }
  const policies = (objects: K8sObject[]) =>
    ofKind(objects, 'NetworkPolicy').map(
      (p) => p['spec'] as { podSelector: Json; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] },
    );
  /** The rules that apply to pods with these labels (NetworkPolicies are additive). */
  const rulesFor = (objects: K8sObject[], labels: Record<string, string>, direction: 'ingress' | 'egress') =>
    policies(objects)
      .filter((p) => Object.keys(p.podSelector).length === 0 || selects(p.podSelector, labels))
      .flatMap((p) => p[direction] ?? []);
  const podLabels = (objects: K8sObject[], name: string) =>
    named<Deployment>(objects, 'Deployment', name).spec.template.metadata.labels;

  it.each(KUSTOMIZATIONS)('%s: everything is denied unless allowed', (k) => {
    const deny = named(rendered[k], 'NetworkPolicy', 'default-deny')['spec'] as Json;
    expect(deny).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it.each(KUSTOMIZATIONS)('%s: workers reach DNS, Redis and the Symphony agent/pod only', (k) => {
    const objects = rendered[k];
    const allowed: string[] = [];
    for (const rule of rulesFor(objects, podLabels(objects, 'worker'), 'egress')) {
      const ports = (rule.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${p.port}`);
      expect(ports.length, 'every egress rule names its ports').toBeGreaterThan(0);
      const targets = (rule.to ?? []).map((t) => {
        // In-namespace pods only (no namespaceSelector, no ipBlock), and only the demo's stand-ins.
        expect(Object.keys(t)).toEqual(['podSelector']);
        return ((t['podSelector'] as Json)['matchLabels'] as Record<string, string>)[
          'app.kubernetes.io/name'
        ];
      });
      for (const port of ports) allowed.push(targets.length ? `${targets.join('|')}:${port}` : `*:${port}`);
    }
    const base = ['*:UDP/53', '*:TCP/53', '*:TCP/6379', '*:TCP/26379', '*:TCP/443'];
    // The demo's pod is the simulator; the reference bot's /quote calls the demo's market data.
    const demo = ['pod-simulator:TCP/8080', 'market-data:TCP/8090'];
    expect(allowed.sort()).toEqual((k === 'overlays/demo' ? [...base, ...demo] : base).sort());
  });

  it("the demo's simulator (an unauthenticated control API) admits only the ingesters and workers", () => {
    const objects = rendered['overlays/demo'];
    const rules = rulesFor(objects, podLabels(objects, 'pod-simulator'), 'ingress');
    expect(rules.length).toBeGreaterThan(0);
    const admitted = new Set<string>();
    for (const rule of rules) {
      expect(rule.from?.length, 'no rule admits everyone').toBeGreaterThan(0);
      for (const peer of rule.from ?? []) {
        expect(Object.keys(peer)).toEqual(['podSelector']);
        for (const d of ofKind<Deployment>(objects, 'Deployment'))
          if (selects(peer['podSelector'] as Json, d.spec.template.metadata.labels))
            admitted.add(d.metadata.name);
      }
    }
    expect([...admitted].sort()).toEqual(['ingester', 'worker']);
    expect(rulesFor(objects, podLabels(objects, 'pod-simulator'), 'egress')).toEqual(
      rulesFor(objects, { nothing: 'else' }, 'egress'),
    );
  });
});

describe.skipIf(!hasKubectl)('KEDA autoscaling of the workers (overlays/production)', () => {
  const objects = () => rendered['overlays/production'];
  const scaled = () =>
    named(objects(), 'ScaledObject', 'worker')['spec'] as Json & {
      scaleTargetRef: { name: string };
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: { type: string; metricType?: string; metadata: Record<string, string> }[];
      fallback?: { failureThreshold: number; replicas: number };
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: Json & { policies: Json[] } } } };
    };

  it('scales the worker Deployment, which leaves its replica count to the HPA', () => {
    const worker = named<Deployment>(objects(), 'Deployment', scaled().scaleTargetRef.name);
    expect(worker.metadata.name).toBe('worker');
    expect(worker.spec.replicas).toBeUndefined();
    expect(scaled().minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled().maxReplicaCount).toBeGreaterThan(scaled().minReplicaCount);
    expect(scaled().fallback?.replicas).toBeGreaterThanOrEqual(scaled().minReplicaCount);
  });

  it("Prometheus triggers on the ingester's backlog gauges, max() across replicas, in the overlay's namespace", () => {
    const metricsSource = readRepoFile('services/ingester/src/ingester-metrics.ts');
    const namespace = named(objects(), 'Namespace', 'baton').metadata.name;
    const triggers = scaled().triggers;
    expect(triggers.map((t) => t.type)).toEqual(['prometheus', 'prometheus']);
    const metrics = triggers.map((t) => {
      const query = t.metadata['query'] ?? '';
      // Every ingester replica exports the same deployment-wide value: sum() would count it twice.
      expect(query).toMatch(/^max\(baton_backlog_[a-z_]+\{namespace="[a-z-]+"\}\)$/);
      expect(query).toContain(`namespace="${namespace}"`);
      expect(Number(t.metadata['threshold'])).toBeGreaterThan(0);
      expect(t.metadata['ignoreNullValues'], 'a lost target falls back instead of reading 0').toBe('false');
      const metric = /max\(([a-z_]+)\{/.exec(query)?.[1] as string;
      expect(metricsSource, metric).toContain(`name: '${metric}'`);
      return metric;
    });
    expect(metrics.sort()).toEqual(['baton_backlog_oldest_age_seconds', 'baton_backlog_pending_events']);
  });

  it('scales down one worker at a time, slower than a SIGTERM drain takes', () => {
    const worker = named<Deployment>(objects(), 'Deployment', 'worker');
    const grace = worker.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    const down = scaled().advanced.horizontalPodAutoscalerConfig.behavior.scaleDown;
    expect(down['stabilizationWindowSeconds']).toBeGreaterThanOrEqual(60);
    expect(down.policies.length).toBeGreaterThan(0);
    for (const policy of down.policies) {
      expect(policy).toMatchObject({ type: 'Pods', value: 1 });
      expect(policy['periodSeconds']).toBeGreaterThan(grace);
    }
  });
});

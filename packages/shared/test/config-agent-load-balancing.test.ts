import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRsaKeyPair } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv, symphonyClientConfigFrom, symphonyEnvSchema } from '../src/index.ts';
import { resolveClientConfig } from '../src/symphony/index.ts';
import { configProblems } from './support/config-errors.ts';

const PEM = testRsaKeyPair().privateKeyPem;
const base = {
  SYMPHONY_POD_URL: 'https://pod.example',
  SYMPHONY_BOT_USERNAME: 'bot',
  SYMPHONY_PRIVATE_KEY: PEM,
};
const dir = mkdtempSync(join(tmpdir(), 'agent-lb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (env: Record<string, string>) =>
  parseEnv(symphonyEnvSchema, { ...base, ...env }, { service: 't' });
const lbOf = (env: Record<string, string>) =>
  resolveClientConfig(symphonyClientConfigFrom(parse(env))).agentLoadBalancing;
const problemsOf = (env: Record<string, string>) => configProblems(() => parse(env));
let files = 0;
const bdkFile = (agentBlock: string): string => {
  const path = join(dir, `config-${files++}.yaml`);
  writeFileSync(path, `host: pod.example\nagent:\n${agentBlock}`);
  return path;
};

describe('agent load balancing: environment', () => {
  it('defaults: one node (the agent URL, else the pod), round robin, sticky, 30 s down time', () => {
    expect(lbOf({})).toEqual({
      mode: 'roundRobin',
      nodes: ['https://pod.example'],
      stickiness: true,
      nodeDownMs: 30_000,
    });
    expect(lbOf({ SYMPHONY_AGENT_URL: 'https://agent.example/' }).nodes).toEqual(['https://agent.example']);
  });

  it('SYMPHONY_AGENT_URLS, mode, stickiness and down time reach the client config', () => {
    const lb = lbOf({
      SYMPHONY_AGENT_URLS: ' https://a1.example:8444 , https://a2.example/,https://a3.example',
      SYMPHONY_AGENT_LB_MODE: 'random',
      SYMPHONY_AGENT_LB_STICKINESS: 'false',
      SYMPHONY_AGENT_NODE_DOWN_MS: '5000',
    });
    expect(lb).toEqual({
      mode: 'random',
      nodes: ['https://a1.example:8444', 'https://a2.example', 'https://a3.example'],
      stickiness: false,
      nodeDownMs: 5000,
    });
  });

  it('external with one URL (the load balancer), given either way', () => {
    expect(
      lbOf({ SYMPHONY_AGENT_URL: 'https://lb.example', SYMPHONY_AGENT_LB_MODE: 'external' }),
    ).toMatchObject({ mode: 'external', nodes: ['https://lb.example'] });
    expect(
      lbOf({ SYMPHONY_AGENT_URLS: 'https://lb.example', SYMPHONY_AGENT_LB_MODE: 'external' }).nodes,
    ).toEqual(['https://lb.example']);
  });

  it('refuses both agent forms, external with several URLs, a bad URL in the list and an unknown mode', () => {
    expect(
      problemsOf({ SYMPHONY_AGENT_URL: 'https://a.example', SYMPHONY_AGENT_URLS: 'https://b.example' }),
    ).toEqual([
      { variable: 'SYMPHONY_AGENT_URLS', problem: expect.stringMatching(/together with SYMPHONY_AGENT_URL/) },
    ]);
    expect(
      problemsOf({
        SYMPHONY_AGENT_URLS: 'https://a.example,https://b.example',
        SYMPHONY_AGENT_LB_MODE: 'external',
      }),
    ).toEqual([
      {
        variable: 'SYMPHONY_AGENT_LB_MODE',
        problem: expect.stringMatching(/external takes one agent URL.*got 2/),
      },
    ]);
    expect(problemsOf({ SYMPHONY_AGENT_URLS: 'https://a.example,ftp://b.example' })).toEqual([
      { variable: 'SYMPHONY_AGENT_URLS', problem: expect.stringMatching(/http\(s\) URL/) },
    ]);
    expect(problemsOf({ SYMPHONY_AGENT_URLS: ' , ' })).toEqual([
      { variable: 'SYMPHONY_AGENT_URLS', problem: expect.stringMatching(/comma-separated list/) },
    ]);
    expect(problemsOf({ SYMPHONY_AGENT_LB_MODE: 'round-robin' })).toEqual([
      {
        variable: 'SYMPHONY_AGENT_LB_MODE',
        problem: expect.stringMatching(/roundRobin, random or external/),
      },
    ]);
  });
});

describe('agent load balancing: the BDK config file (agent.loadBalancing)', () => {
  const nodes = `    nodes:\n      - host: agent1.example\n        port: 7443\n        context: app/\n      - host: agent2.example\n        scheme: http\n`;

  it('maps mode, stickiness and nodes (each node a server config of its own)', () => {
    const cfg = parse({
      SYMPHONY_CONFIG_FILE: bdkFile(`  loadBalancing:\n    mode: random\n    stickiness: false\n${nodes}`),
    });
    expect(cfg.SYMPHONY_AGENT_URL).toBeUndefined();
    expect(
      lbOf({
        SYMPHONY_CONFIG_FILE: bdkFile(`  loadBalancing:\n    mode: random\n    stickiness: false\n${nodes}`),
      }),
    ).toMatchObject({
      mode: 'random',
      stickiness: false,
      nodes: ['https://agent1.example:7443/app', 'http://agent2.example'],
    });
    expect(symphonyClientConfigFrom(cfg).notices).toEqual([]);
  });

  it('stickiness defaults to true, as in the BDK', () => {
    expect(
      lbOf({ SYMPHONY_CONFIG_FILE: bdkFile(`  loadBalancing:\n    mode: roundRobin\n${nodes}`) }).stickiness,
    ).toBe(true);
  });

  it('external: the first node only, the others named in a notice', () => {
    const cfg = parse({ SYMPHONY_CONFIG_FILE: bdkFile(`  loadBalancing:\n    mode: external\n${nodes}`) });
    expect(cfg.SYMPHONY_AGENT_URLS).toEqual(['https://agent1.example:7443/app']);
    expect(symphonyClientConfigFrom(cfg).notices).toEqual([
      expect.stringMatching(/external mode calls the first node only .*1 other node/),
    ]);
  });

  it('refuses a missing or unknown mode, no nodes, a node without host, and an agent host next to it', () => {
    const problems = (block: string) =>
      problemsOf({ SYMPHONY_CONFIG_FILE: bdkFile(block) }).map((p) => `${p.variable}: ${p.problem}`);
    expect(problems(`  loadBalancing:\n${nodes}`)).toEqual([
      expect.stringMatching(
        /^SYMPHONY_CONFIG_FILE: .*agent\.loadBalancing\.mode: expected roundRobin, random, external \(mandatory\), got nothing/,
      ),
    ]);
    expect(problems(`  loadBalancing:\n    mode: sticky\n${nodes}`)).toEqual([
      expect.stringMatching(/agent\.loadBalancing\.mode: .*got "sticky"/),
    ]);
    expect(problems(`  loadBalancing:\n    mode: random\n    nodes: []\n`)).toEqual([
      expect.stringMatching(/agent\.loadBalancing\.nodes: expected at least one node/),
    ]);
    expect(problems(`  loadBalancing:\n    mode: random\n    nodes:\n      - port: 8443\n`)).toEqual([
      expect.stringMatching(/every node needs a host/),
    ]);
    expect(problems(`  host: agent.example\n  loadBalancing:\n    mode: random\n${nodes}`)).toEqual([
      expect.stringMatching(/set together with agent\.host; give the agents as loadBalancing\.nodes only/),
    ]);
  });

  it('an agent URL in the environment replaces the file’s nodes (no "both" refusal)', () => {
    const cfg = parse({
      SYMPHONY_CONFIG_FILE: bdkFile(`  loadBalancing:\n    mode: roundRobin\n${nodes}`),
      SYMPHONY_AGENT_URL: 'https://env-agent.example',
    });
    expect(cfg.SYMPHONY_AGENT_URLS).toBeUndefined();
    expect(resolveClientConfig(symphonyClientConfigFrom(cfg)).agentLoadBalancing.nodes).toEqual([
      'https://env-agent.example',
    ]);
  });
});

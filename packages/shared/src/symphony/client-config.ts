import { ConfigError } from '../config/config-error.ts';
import type { AgentLoadBalancingMode } from './agent-node-selector.ts';
import type { RetryPolicyWithJitter } from './retry-policy.ts';

/**
 * The bot's client certificate for certificate (mutual TLS) authentication: a PEM certificate (chain) and its
 * private key, or a PKCS#12 bundle. `passphrase` decrypts an encrypted PEM key or the PKCS#12 file. Kept in
 * memory only; never logged.
 */
export type ClientCertificate =
  | { certPem: string; keyPem: string; passphrase?: string }
  | { pfx: Buffer; passphrase?: string };

/**
 * Several agent nodes (the BDK's `agent.loadBalancing`): which one each agent call goes to, and failover when a
 * node fails (see agent-node-selector.ts).
 */
export interface AgentLoadBalancing {
  /** `roundRobin` (default), `random`, or `external` (one URL: the customer's load balancer). */
  mode?: AgentLoadBalancingMode;
  /** Agent origins (no `/agent` suffix), at least one; `external`: exactly one. */
  nodes: readonly string[];
  /** `true` (default, as the BDK): one node until it fails; `false`: a new pick per call. The datafeed is always sticky. */
  stickiness?: boolean;
  /** How long a failed node is left out of the picks, in ms (default 30 000). */
  nodeDownMs?: number;
}

export const DEFAULT_AGENT_NODE_DOWN_MS = 30_000;

/** Everything `createSymphonyClient` needs. URLs are origins (optionally with a base path), without `/pod` etc. */
export interface SymphonyClientConfig {
  /** Pod origin, e.g. `https://acme.symphony.com`; `/pod/...` is appended. */
  podUrl: string;
  /** Agent origin; `/agent/...` is appended. Defaults to `podUrl`. Ignored when `agentLoadBalancing` is set. */
  agentUrl?: string;
  /** Several agent nodes instead of `agentUrl`, with failover. */
  agentLoadBalancing?: AgentLoadBalancing;
  /** Key manager origin; `/relay/...` is appended. Defaults to `podUrl`. */
  keyManagerUrl?: string;
  /** Session auth origin; `/login/...` is appended. Defaults to `podUrl`. */
  loginUrl?: string;
  /** Certificate auth origin of the pod; `/sessionauth/...` is appended. Defaults to `podUrl`. */
  sessionAuthUrl?: string;
  /** Certificate auth origin of the key manager; `/keyauth/...` is appended. Defaults to `keyManagerUrl`. */
  keyAuthUrl?: string;
  botUsername: string;
  /** RSA private key, PEM, PKCS#8 or PKCS#1 (RSA authentication). Kept in memory only; never logged. */
  privateKeyPem?: string;
  /** Client certificate (certificate authentication). Exactly one of `privateKeyPem` and `certificate`. */
  certificate?: ClientCertificate;
  /** Extra CA certificate(s), PEM, trusted on top of Node's defaults (corporate / self-signed pods). */
  caCertPem?: string;
  /** HTTP(S) proxy URL for every call, e.g. `http://proxy.corp:3128`. */
  proxyUrl?: string;
  /** Per-request timeout in ms (default 20 000). */
  timeoutMs?: number;
  /** Timeout for datafeed/datahose long polls in ms (default 35 000: the agent holds reads ~30 s). */
  datafeedTimeoutMs?: number;
  /** Default retry policy for every call; calls can override it. */
  retry?: Partial<RetryPolicyWithJitter>;
  /** Configuration notices (e.g. BDK config keys Baton ignores), logged once at warn when the client is made. */
  notices?: readonly string[];
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_DATAFEED_TIMEOUT_MS = 35_000;

/** How the bot authenticates: an RSA-signed JWT, or its client certificate over mutual TLS. */
export type ClientAuth =
  | { kind: 'rsa'; privateKeyPem: string }
  | { kind: 'certificate'; certificate: ClientCertificate };

export type ResolvedSymphonyClientConfig = Required<
  Omit<
    SymphonyClientConfig,
    'caCertPem' | 'proxyUrl' | 'retry' | 'privateKeyPem' | 'certificate' | 'notices' | 'agentLoadBalancing'
  >
> &
  Pick<SymphonyClientConfig, 'caCertPem' | 'proxyUrl'> & {
    retry: Partial<RetryPolicyWithJitter>;
    auth: ClientAuth;
    notices: readonly string[];
    /** The agent nodes (`agentUrl` is the first), trimmed; one node without load balancing. */
    agentLoadBalancing: Required<AgentLoadBalancing>;
  };

export function resolveClientConfig(config: SymphonyClientConfig): ResolvedSymphonyClientConfig {
  const trim = (url: string): string => url.replace(/\/+$/, '');
  const { privateKeyPem, certificate, notices, agentLoadBalancing: lb, ...rest } = config;
  if ((privateKeyPem === undefined) === (certificate === undefined)) {
    const problem = 'set exactly one of privateKeyPem (RSA) and certificate (certificate authentication)';
    throw new ConfigError(`Invalid Symphony client config: ${problem}`, [
      { variable: 'privateKeyPem/certificate', problem },
    ]);
  }
  const auth: ClientAuth = certificate
    ? { kind: 'certificate', certificate }
    : { kind: 'rsa', privateKeyPem: privateKeyPem as string };
  const keyManagerUrl = trim(config.keyManagerUrl ?? config.podUrl);
  const nodes = lb ? lb.nodes.map(trim) : [trim(config.agentUrl ?? config.podUrl)];
  const mode = lb?.mode ?? 'roundRobin';
  const lbProblem =
    nodes.length === 0
      ? 'agentLoadBalancing.nodes must list at least one agent URL'
      : mode === 'external' && nodes.length > 1
        ? 'agentLoadBalancing: external mode takes exactly one URL (the load balancer)'
        : undefined;
  if (lbProblem) {
    throw new ConfigError(`Invalid Symphony client config: ${lbProblem}`, [
      { variable: 'agentLoadBalancing', problem: lbProblem },
    ]);
  }
  return {
    ...rest,
    auth,
    notices: notices ?? [],
    podUrl: trim(config.podUrl),
    agentUrl: nodes[0] as string,
    agentLoadBalancing: {
      mode,
      nodes: [...new Set(nodes)],
      stickiness: lb?.stickiness ?? true,
      nodeDownMs: lb?.nodeDownMs ?? DEFAULT_AGENT_NODE_DOWN_MS,
    },
    keyManagerUrl,
    loginUrl: trim(config.loginUrl ?? config.podUrl),
    sessionAuthUrl: trim(config.sessionAuthUrl ?? config.podUrl),
    keyAuthUrl: trim(config.keyAuthUrl ?? keyManagerUrl),
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    datafeedTimeoutMs: config.datafeedTimeoutMs ?? DEFAULT_DATAFEED_TIMEOUT_MS,
    retry: config.retry ?? {},
  };
}

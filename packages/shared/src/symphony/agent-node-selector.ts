import { ConfigError } from '../config/config-error.ts';
import { ConnectionError, ServerError, TimeoutError } from './errors.ts';

/**
 * How calls spread over the agent nodes, as the BDK's `agent.loadBalancing.mode`: `roundRobin` and `random` pick
 * among the nodes; `external` has one URL, the customer's load balancer, which picks the node itself.
 */
export type AgentLoadBalancingMode = 'roundRobin' | 'random' | 'external';

/** Calls to the datafeed (create, list, read, delete, datahose) or any other agent call. */
export type AgentLane = 'feed' | 'call';

export interface AgentNodeSelectorConfig {
  /** Agent origins, at least one (`external`: exactly one, the load balancer). */
  nodes: readonly string[];
  mode: AgentLoadBalancingMode;
  /** `true` (the BDK default): every call goes to one node until it fails. `false`: a new pick per call. */
  stickiness: boolean;
  /** How long a failed node is left out of the picks, in ms. */
  nodeDownMs: number;
}

/** What a failed call on a node says about that node. */
export type NodeVerdict =
  /** The node is unreachable or unavailable: move away from it now. */
  | 'down'
  /** A 5xx that may be the request's own fault: the node is marked down after `SERVER_ERROR_STORM` in a row. */
  | 'server-error'
  /** The node answered (a 4xx, 401, 429, an abort): nothing wrong with the node. */
  | 'answered';

/** Consecutive 5xx answers (other than 502/503/504) after which a node is marked down. */
export const SERVER_ERROR_STORM = 3;

/**
 * Which failures mean "this node, not this request": no connection (refused, reset, DNS, TLS), no answer
 * within the call's timeout, or 502/503/504 (the node or what is behind it is unavailable). Any other 5xx
 * counts towards a storm; everything else is an answer.
 */
export function nodeVerdict(error: unknown): NodeVerdict {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return 'down';
  if (error instanceof ServerError) {
    return error.status === 502 || error.status === 503 || error.status === 504 ? 'down' : 'server-error';
  }
  return 'answered';
}

export interface NodeStatus {
  url: string;
  /** Until when the node is left out of the picks (epoch ms); 0 when up. */
  downUntil: number;
  /** Consecutive 5xx answers counted towards a storm. */
  serverErrors: number;
}

export interface AgentNodeSelector {
  /** The node for the next call of `lane`. */
  pick(lane: AgentLane): string;
  /**
   * Records how a call of `lane` on `node` failed and returns the node to try next **within the same attempt**,
   * or undefined to let the error go to the retry policy. `tries` counts the nodes already tried by this
   * attempt (this one included): a node is tried once per attempt (`external`: twice, as a new request through
   * the load balancer reaches a live node).
   */
  failed(
    lane: AgentLane,
    node: string,
    error: unknown,
    tries: ReadonlyMap<string, number>,
  ): string | undefined;
  /** The call on `node` succeeded: the node is up. */
  succeeded(node: string): void;
  status(): NodeStatus[];
}

export interface AgentNodeSelectorDeps {
  now?: () => number;
  random?: () => number;
  /** Called when a node is marked down, and when a lane moves to another node. */
  onEvent?: (event: AgentNodeEvent) => void;
}

export type AgentNodeEvent =
  | { kind: 'down'; node: string; forMs: number; reason: Exclude<NodeVerdict, 'answered'> }
  | { kind: 'moved'; lane: AgentLane; from: string; to: string };

/**
 * The agent node selector, above the HTTP transport: picks the node of each agent call as the BDK's load
 * balancing does (round robin, random, or an external load balancer; sticky or not), keeps the datafeed on one
 * node whatever the stickiness (the BDK's rule), and moves a lane to the next node when its node fails
 * (`nodeVerdict`). A failed node is left out of the picks for `nodeDownMs`; when every node is down, the one
 * that comes back first is picked (a call is never refused here: the retry policy decides when to stop).
 */
export function createAgentNodeSelector(
  config: AgentNodeSelectorConfig,
  deps: AgentNodeSelectorDeps = {},
): AgentNodeSelector {
  const problem =
    config.nodes.length === 0
      ? 'at least one node'
      : config.mode === 'external' && config.nodes.length !== 1
        ? 'external mode takes exactly one URL (the load balancer)'
        : undefined;
  if (problem) {
    throw new ConfigError(`agent load balancing: ${problem}`, [{ variable: 'agentLoadBalancing', problem }]);
  }
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const nodes: NodeStatus[] = config.nodes.map((url) => ({ url, downUntil: 0, serverErrors: 0 }));
  const byUrl = new Map(nodes.map((n) => [n.url, n]));
  const pins: Record<AgentLane, NodeStatus | undefined> = { feed: undefined, call: undefined };
  let cursor = -1;

  const isUp = (n: NodeStatus): boolean => n.downUntil <= now();
  const sticky = (lane: AgentLane): boolean => lane === 'feed' || config.stickiness;

  /** A node by the mode among `candidates` (all up), or undefined when there is none. */
  function choose(candidates: readonly NodeStatus[]): NodeStatus | undefined {
    if (candidates.length === 0) return undefined;
    if (config.mode === 'random') return candidates[Math.floor(random() * candidates.length)];
    // Round robin over the whole list, skipping the nodes not among the candidates.
    for (let step = 1; step <= nodes.length; step++) {
      const next = nodes[(cursor + step) % nodes.length] as NodeStatus;
      if (candidates.includes(next)) {
        cursor = nodes.indexOf(next);
        return next;
      }
    }
    return undefined;
  }

  /** An up node, else the one whose down period ends first. */
  function chooseAny(): NodeStatus {
    return (
      choose(nodes.filter(isUp)) ??
      (nodes.reduce((a, b) => (b.downUntil < a.downUntil ? b : a)) as NodeStatus)
    );
  }

  function markDown(node: NodeStatus, reason: Exclude<NodeVerdict, 'answered'>): void {
    node.downUntil = now() + config.nodeDownMs;
    node.serverErrors = 0;
    deps.onEvent?.({ kind: 'down', node: node.url, forMs: config.nodeDownMs, reason });
  }

  return {
    pick(lane) {
      if (nodes.length === 1) return (nodes[0] as NodeStatus).url;
      if (!sticky(lane)) return chooseAny().url;
      // A pin stays while its own lane's calls succeed on it, even if the other lane marked it down: a v1 feed
      // lives on its node, and a node that timed out a send may still serve the feed.
      const pin = pins[lane] ?? chooseAny();
      pins[lane] = pin;
      return pin.url;
    },

    failed(lane, url, error, tries) {
      const node = byUrl.get(url);
      if (!node) return undefined;
      const verdict = nodeVerdict(error);
      if (verdict === 'answered') {
        // It answered: it is up, whatever another call made of it.
        node.downUntil = 0;
        node.serverErrors = 0;
        return undefined;
      }
      if (config.mode === 'external') {
        // No node to mark: the load balancer routes a new request to a live one. One more try at once.
        return verdict === 'down' && (tries.get(url) ?? 0) < 2 ? url : undefined;
      }
      if (verdict === 'server-error') {
        node.serverErrors += 1;
        if (node.serverErrors < SERVER_ERROR_STORM) return undefined;
      }
      markDown(node, verdict);
      if (nodes.length === 1) return undefined;
      const untried = (n: NodeStatus): boolean => isUp(n) && !tries.has(n.url);
      if (!sticky(lane)) return choose(nodes.filter(untried))?.url;
      // Another call of the lane already moved the pin: follow it.
      const pin = pins[lane];
      if (pin && pin !== node && untried(pin)) return pin.url;
      // The pin moves to the next node now; without one up, the next pick chooses again.
      const next = choose(nodes.filter(untried));
      pins[lane] = next;
      if (next) deps.onEvent?.({ kind: 'moved', lane, from: url, to: next.url });
      return next?.url;
    },

    succeeded(url) {
      const node = byUrl.get(url);
      if (!node) return;
      node.downUntil = 0;
      node.serverErrors = 0;
    },

    status: () => nodes.map((n) => ({ ...n })),
  };
}

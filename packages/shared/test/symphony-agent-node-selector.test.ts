import { describe, expect, it } from 'vitest';
import {
  type AgentNodeEvent,
  type AgentNodeSelectorConfig,
  ClientError,
  ConnectionError,
  createAgentNodeSelector,
  FeedGoneError,
  nodeVerdict,
  RateLimitedError,
  SERVER_ERROR_STORM,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from '../src/symphony/index.ts';

const A = 'https://a';
const B = 'https://b';
const C = 'https://c';
const refused = () => new ConnectionError('refused', { errorCode: 'ECONNREFUSED' });
const status500 = () => new ServerError('HTTP 500', { status: 500 });

function selector(config: Partial<AgentNodeSelectorConfig> = {}, random = () => 0) {
  let now = 1_000;
  const events: AgentNodeEvent[] = [];
  const s = createAgentNodeSelector(
    { nodes: [A, B, C], mode: 'roundRobin', stickiness: true, nodeDownMs: 10_000, ...config },
    { now: () => now, random, onEvent: (e) => events.push(e) },
  );
  return {
    s,
    events,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** The tries map of an attempt that has tried `nodes` once each. */
const tried = (...nodes: string[]) => new Map(nodes.map((n) => [n, 1]));

describe('nodeVerdict', () => {
  it('moves away on no connection, timeouts and 502/503/504; counts other 5xx; anything else is an answer', () => {
    expect(nodeVerdict(refused())).toBe('down');
    expect(nodeVerdict(new ConnectionError('reset', { errorCode: 'ECONNRESET' }))).toBe('down');
    expect(nodeVerdict(new TimeoutError('slow', { timeoutMs: 5 }))).toBe('down');
    for (const status of [502, 503, 504]) expect(nodeVerdict(new ServerError('x', { status }))).toBe('down');
    expect(nodeVerdict(status500())).toBe('server-error');
    expect(nodeVerdict(new ServerError('x', { status: 501 }))).toBe('server-error');
    expect(nodeVerdict(new ClientError('x', { status: 404 }))).toBe('answered');
    expect(nodeVerdict(new RateLimitedError('x', { status: 429 }))).toBe('answered');
    expect(nodeVerdict(new UnauthorizedError('x', { status: 401 }))).toBe('answered');
    expect(nodeVerdict(new FeedGoneError('x', { status: 400 }))).toBe('answered');
    expect(nodeVerdict(new Error('a bug'))).toBe('answered');
  });
});

describe('createAgentNodeSelector', () => {
  it('round robin, not sticky: each call goes to the next node', () => {
    const { s } = selector({ stickiness: false });
    expect([1, 2, 3, 4, 5].map(() => s.pick('call'))).toEqual([A, B, C, A, B]);
  });

  it('random, not sticky: picks by the random source among the nodes', () => {
    const draws = [0.9, 0.1, 0.5];
    const { s } = selector({ mode: 'random', stickiness: false }, () => draws.shift() ?? 0);
    expect([s.pick('call'), s.pick('call'), s.pick('call')]).toEqual([C, A, B]);
  });

  it('sticky: every call on one node; the feed is sticky too, on a node of its own pick', () => {
    const { s } = selector();
    const call = s.pick('call');
    const feed = s.pick('feed');
    expect([s.pick('call'), s.pick('call')]).toEqual([call, call]);
    expect([s.pick('feed'), s.pick('feed')]).toEqual([feed, feed]);
    expect(feed).not.toBe(call);
  });

  it('the feed stays on its node when stickiness is off', () => {
    const { s } = selector({ stickiness: false });
    const feed = s.pick('feed');
    for (let i = 0; i < 5; i++) s.pick('call');
    expect(s.pick('feed')).toBe(feed);
  });

  it('a node that refuses connections: the lane moves to the next node at once and stays there', () => {
    const { s, events } = selector();
    const feed = s.pick('feed');
    const next = s.failed('feed', feed, refused(), tried(feed));
    expect(next).toBeDefined();
    expect(next).not.toBe(feed);
    expect(events).toEqual([
      { kind: 'down', node: feed, forMs: 10_000, reason: 'down' },
      { kind: 'moved', lane: 'feed', from: feed, to: next },
    ]);
    expect(s.pick('feed')).toBe(next);
    expect(s.status().find((n) => n.url === feed)?.downUntil).toBe(11_000);
  });

  it('sticky after a failover: the lane does not go back when the old node recovers', () => {
    const { s, advance } = selector();
    const first = s.pick('feed');
    const second = s.failed('feed', first, refused(), tried(first)) as string;
    advance(20_000);
    s.succeeded(second);
    expect(s.pick('feed')).toBe(second);
  });

  it('a down node is left out of the picks for nodeDownMs, then picked again', () => {
    const { s, advance } = selector({ stickiness: false });
    expect(s.pick('call')).toBe(A);
    expect(s.failed('call', A, refused(), tried(A))).toBe(B);
    expect([s.pick('call'), s.pick('call'), s.pick('call')]).toEqual([C, B, C]);
    advance(10_000);
    expect([s.pick('call'), s.pick('call'), s.pick('call')]).toEqual([A, B, C]);
  });

  it('an attempt tries each node once: no next node once all were tried', () => {
    const { s } = selector();
    expect(s.failed('call', A, refused(), tried(A))).toBe(B);
    expect(s.failed('call', B, refused(), tried(A, B))).toBe(C);
    expect(s.failed('call', C, refused(), tried(A, B, C))).toBeUndefined();
  });

  it('every node down: the next pick is the node that comes back first', () => {
    const { s, advance } = selector();
    s.failed('call', B, refused(), tried(B));
    advance(1);
    s.failed('call', C, refused(), tried(B, C));
    advance(1);
    s.failed('call', A, refused(), tried(B, C, A));
    expect(s.pick('call')).toBe(B);
  });

  it(`a 5xx storm: ${SERVER_ERROR_STORM} 500s in a row mark the node down; a success in between resets`, () => {
    const { s } = selector();
    const node = s.pick('call');
    expect(s.failed('call', node, status500(), tried(node))).toBeUndefined();
    s.succeeded(node);
    for (let i = 1; i < SERVER_ERROR_STORM; i++) {
      expect(s.failed('call', node, status500(), tried(node))).toBeUndefined();
    }
    expect(s.pick('call')).toBe(node);
    const next = s.failed('call', node, status500(), tried(node));
    expect(next).toBeDefined();
    expect(next).not.toBe(node);
    expect(s.pick('call')).toBe(next);
  });

  it('answers (4xx, 429, 401) never move a lane and reset the 5xx count', () => {
    const { s } = selector();
    const node = s.pick('call');
    s.failed('call', node, status500(), tried(node));
    s.failed('call', node, status500(), tried(node));
    expect(s.failed('call', node, new RateLimitedError('x', { status: 429 }), tried(node))).toBeUndefined();
    expect(s.failed('call', node, new ClientError('x', { status: 400 }), tried(node))).toBeUndefined();
    expect(s.failed('call', node, status500(), tried(node))).toBeUndefined();
    expect(s.pick('call')).toBe(node);
    expect(s.status().every((n) => n.downUntil === 0)).toBe(true);
  });

  it('two calls failing on the same node: the second follows the pin the first moved', () => {
    const { s } = selector();
    const node = s.pick('call');
    const moved = s.failed('call', node, refused(), tried(node));
    expect(s.failed('call', node, refused(), tried(node))).toBe(moved);
  });

  it('a failure on the other lane does not move the feed (a v1 feed lives on its node)', () => {
    const { s } = selector({ stickiness: false });
    const feed = s.pick('feed');
    s.failed('call', feed, refused(), tried(feed));
    expect(s.pick('feed')).toBe(feed);
  });

  it('external: one URL, tried twice per attempt on a node failure, never marked down', () => {
    const lbUrl = 'https://agent-lb';
    const { s, events } = selector({ mode: 'external', nodes: [lbUrl] });
    expect(s.pick('feed')).toBe(lbUrl);
    expect(s.pick('call')).toBe(lbUrl);
    expect(s.failed('feed', lbUrl, refused(), new Map([[lbUrl, 1]]))).toBe(lbUrl);
    expect(s.failed('feed', lbUrl, refused(), new Map([[lbUrl, 2]]))).toBeUndefined();
    expect(s.failed('call', lbUrl, status500(), new Map([[lbUrl, 1]]))).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('refuses an empty node list and an external mode with several URLs', () => {
    expect(() =>
      createAgentNodeSelector({ nodes: [], mode: 'roundRobin', stickiness: true, nodeDownMs: 1 }),
    ).toThrow(/at least one node/);
    expect(() =>
      createAgentNodeSelector({ nodes: [A, B], mode: 'external', stickiness: true, nodeDownMs: 1 }),
    ).toThrow(/exactly one URL/);
  });
});

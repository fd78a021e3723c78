import type { FaultRule, FaultSpec } from '../types.ts';

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'drop'; latencyMs: number }
  | { kind: 'status'; status: 500 | 503 | 429 | 400; retryAfterSeconds?: number; latencyMs: number };

/** mulberry32: a tiny deterministic PRNG, so a seeded fault run is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LiveRule {
  rule: FaultRule;
  remaining: number;
}

/** Decides, per request, whether to add latency, drop the connection or answer 500/503/429. */
export class FaultInjector {
  private rules: LiveRule[] = [];
  private random: () => number = Math.random;

  set(spec: FaultSpec): void {
    for (const r of spec.rules ?? []) {
      if (typeof r.path !== 'string' || !r.path.startsWith('/'))
        throw new Error('each fault rule needs a path prefix');
      for (const k of ['drop', 'error500', 'error503', 'error429'] as const) {
        const p = r[k];
        if (p !== undefined && (typeof p !== 'number' || p < 0 || p > 1)) {
          throw new Error(`fault probability ${k} must be between 0 and 1`);
        }
      }
      if (r.rateLimitStatus !== undefined && r.rateLimitStatus !== 429 && r.rateLimitStatus !== 400) {
        throw new Error('rateLimitStatus must be 429 or 400');
      }
    }
    this.rules = (spec.rules ?? []).map((rule) => ({
      rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }));
    this.random = spec.seed !== undefined ? mulberry32(spec.seed) : Math.random;
  }

  clear(): void {
    this.rules = [];
    this.random = Math.random;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  decide(method: string, path: string): FaultDecision {
    let latencyMs = 0;
    for (const live of this.rules) {
      const { rule } = live;
      if (live.remaining <= 0 || !path.startsWith(rule.path)) continue;
      if (rule.methods && !rule.methods.map((m) => m.toUpperCase()).includes(method.toUpperCase())) continue;
      live.remaining--;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.drop && this.random() < rule.drop) return { kind: 'drop', latencyMs };
      if (rule.error500 && this.random() < rule.error500) return { kind: 'status', status: 500, latencyMs };
      if (rule.error503 && this.random() < rule.error503) return { kind: 'status', status: 503, latencyMs };
      if (rule.error429 && this.random() < rule.error429) {
        const status = rule.rateLimitStatus ?? 429;
        return { kind: 'status', status, retryAfterSeconds: rule.retryAfterSeconds ?? 1, latencyMs };
      }
    }
    return { kind: 'none', latencyMs };
  }
}

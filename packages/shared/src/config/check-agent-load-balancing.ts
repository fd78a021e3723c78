type Problem = { variable: string; problem: string };
type Values = Readonly<Record<string, unknown>>;

const isSet = (v: unknown): boolean => v !== undefined && v !== '';

/**
 * The cross-variable rules of agent load balancing, on the raw values: one of `SYMPHONY_AGENT_URL` and
 * `SYMPHONY_AGENT_URLS` (the BDK refuses an agent host next to `loadBalancing` too), and `external` with one URL
 * only (the load balancer's). `source(name)` says where a variable came from, for the messages.
 */
export function checkAgentLoadBalancing(
  values: Values,
  source: (name: string) => string = () => '',
): Problem[] {
  const problems: Problem[] = [];
  const urls = values.SYMPHONY_AGENT_URLS;
  if (isSet(values.SYMPHONY_AGENT_URL) && isSet(urls)) {
    problems.push({
      variable: 'SYMPHONY_AGENT_URLS',
      problem: `set together with SYMPHONY_AGENT_URL; give the agent as one URL or as the list${source('SYMPHONY_AGENT_URLS')}`,
    });
  }
  const count = typeof urls === 'string' ? urls.split(',').filter((u) => u.trim() !== '').length : 0;
  if (values.SYMPHONY_AGENT_LB_MODE === 'external' && count > 1) {
    problems.push({
      variable: 'SYMPHONY_AGENT_LB_MODE',
      problem: `external takes one agent URL (your load balancer's), got ${count} in SYMPHONY_AGENT_URLS${source('SYMPHONY_AGENT_LB_MODE')}`,
    });
  }
  return problems;
}

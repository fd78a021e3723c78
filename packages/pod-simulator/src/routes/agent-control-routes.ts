import type { FastifyInstance } from 'fastify';
import { SimHttpError } from '../sim-error.ts';
import type { FaultSpec, SimAgentFrontEnd } from '../types.ts';

/**
 * `/_sim/agents`: the extra agent front-ends (`SimulatorOptions.agents`), each killed, revived or faulted alone.
 * `:index` is the front-end's position (0-based).
 */
export function registerAgentControlRoutes(app: FastifyInstance, agents: readonly SimAgentFrontEnd[]): void {
  const agentAt = (params: unknown): SimAgentFrontEnd => {
    const raw = (params as { index: string }).index;
    const agent = /^\d+$/.test(raw) ? agents[Number(raw)] : undefined;
    if (!agent) throw new SimHttpError(404, `No agent front-end ${raw} (there are ${agents.length})`);
    return agent;
  };
  const describe = (a: SimAgentFrontEnd) => ({
    index: a.index,
    url: a.url,
    up: a.up,
    requests: a.requests(),
  });

  app.get('/_sim/agents', async () => agents.map(describe));
  app.get('/_sim/agents/:index', async (req) => describe(agentAt(req.params)));
  app.post('/_sim/agents/:index/kill', async (req, reply) => {
    await agentAt(req.params).kill();
    return reply.code(204).send();
  });
  app.post('/_sim/agents/:index/revive', async (req, reply) => {
    await agentAt(req.params).revive();
    return reply.code(204).send();
  });
  app.put('/_sim/agents/:index/faults', async (req) => {
    agentAt(req.params).setFaults((req.body ?? {}) as FaultSpec);
    return { ok: true };
  });
  app.delete('/_sim/agents/:index/faults', async (req, reply) => {
    agentAt(req.params).clearFaults();
    return reply.code(204).send();
  });
}

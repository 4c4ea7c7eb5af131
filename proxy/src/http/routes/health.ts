// GET /health: open to all, says whether the gateway and its upstream work, and which features are on.
import type { FastifyInstance } from 'fastify';
import { GATEWAY_VERSION } from '../../version.ts';
import type { GatewayContext } from '../../gateway/context.ts';

export function registerHealth(app: FastifyInstance, ctx: GatewayContext, features: () => Record<string, boolean>): void {
  app.get('/health', { config: { access: 'open', errorShape: 'openai' } }, async (request) => {
    request.record.endpoint = 'health';
    // The model listing doubles as the upstream probe; it is cached, so health stays cheap.
    await ctx.models.list();
    const upstream = ctx.models.reachability();
    // Circuit breakers per upstream and model as this gateway last saw them (a shared store is read first).
    await ctx.reliability.breaker.refresh().catch(() => undefined);
    const circuits = ctx.reliability.circuitStates();
    // A configured Redis or Postgres that is away: still serving (on local state), but say so.
    const { degraded: storageDegraded, ...storage } = ctx.connections.health();
    // Several upstreams: each one's state, headroom and traffic (never its credentials).
    const upstreams = ctx.upstream.status?.().upstreams;
    const upstreamDown = upstreams ? upstreams.every((u) => u.state === 'failing') : upstream.reachable === false;
    return {
      status: upstreamDown || circuits.some((c) => c.state !== 'closed') || storageDegraded ? 'degraded' : 'ok',
      version: GATEWAY_VERSION,
      upstream: { baseUrl: ctx.upstream.baseUrl, ...upstream },
      streams: ctx.activeStreams.size,
      circuits,
      ...(upstreams && { upstreams }),
      storage,
      features: features(),
    };
  });
}

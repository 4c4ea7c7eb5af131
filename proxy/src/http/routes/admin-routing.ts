// GET /admin/routing: what the router has been deciding lately — counts by kind of reason (alias, smart:opus,
// sticky:sonnet, fallback:…) and by model. Optional filters: from, to (ISO), project, model.
import type { FastifyInstance } from 'fastify';
import type { DecisionFilter } from '../../routing/decision-log.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { usageFilter } from '../admin-query.ts';
import { USAGE_QUERY, type UsageQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE } from './admin-route.ts';

export function registerAdminRouting(app: FastifyInstance, ctx: GatewayContext): void {
  app.get<{ Querystring: UsageQuery }>('/admin/routing', { ...ADMIN_QUERY_ROUTE, schema: { querystring: USAGE_QUERY } }, async (request) => {
    const { fromMs, toMs, projectId, model } = usageFilter(request.query);
    const filter: DecisionFilter = {
      ...(fromMs !== undefined && { from: fromMs }),
      ...(toMs !== undefined && { to: toMs }),
      ...(projectId !== undefined && { projectId }),
      ...(model !== undefined && { model }),
    };
    return ctx.routingLog.summary(filter);
  });
}

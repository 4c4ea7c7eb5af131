// GET /admin/routing: what the router has been deciding lately — counts by kind of reason (alias, smart:opus,
// sticky:sonnet, fallback:…) and by model. Optional filters: from, to (ISO), project, model.
import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../errors.ts';
import type { DecisionFilter } from '../../routing/decision-log.ts';
import type { GatewayContext } from '../../gateway/context.ts';

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidRequest(`${name} must be an ISO date or date-time`, name);
  return ms;
}

export function registerAdminRouting(app: FastifyInstance, ctx: GatewayContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/admin/routing',
    { config: { access: 'admin', errorShape: 'openai' } },
    async (request) => {
      request.record.endpoint = 'admin';
      const q = request.query ?? {};
      const filter: DecisionFilter = {};
      const from = time(q.from, 'from');
      const to = time(q.to, 'to');
      if (from !== undefined) filter.from = from;
      if (to !== undefined) filter.to = to;
      if (q.project) filter.projectId = q.project;
      if (q.model) filter.model = q.model;
      return ctx.routingLog.summary(filter);
    },
  );
}

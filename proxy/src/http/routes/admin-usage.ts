// GET /admin/usage, /admin/usage/daily and /admin/costs: totals by model, project and day, and what the gateway
// saved against sending the same traffic straight to Anthropic.
import type { FastifyInstance } from 'fastify';
import type { GatewayStore } from '../../store/gateway-store.ts';
import { savedByLayer, totals, totalsByDay, totalsByModel, totalsByProject, type Totals } from '../../store/usage-report.ts';
import { usageFilter } from '../admin-query.ts';
import { USAGE_QUERY, type UsageQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE } from './admin-route.ts';

function savedPct(t: Pick<Totals, 'baselineCostUsd' | 'savedUsd'>): number {
  return t.baselineCostUsd > 0 ? Math.round((t.savedUsd / t.baselineCostUsd) * 10_000) / 100 : 0;
}

const costView = (t: Totals) => ({
  requests: t.requests,
  costUsd: t.costUsd,
  baselineCostUsd: t.baselineCostUsd,
  savedUsd: t.savedUsd,
  savedPct: savedPct(t),
});

export function registerAdminUsage(app: FastifyInstance, store: GatewayStore): void {
  const projectName = () => {
    const names = store.projects.names();
    return (id: string) => names.get(id) ?? id;
  };

  const route = { ...ADMIN_QUERY_ROUTE, schema: { querystring: USAGE_QUERY } };
  app.get<{ Querystring: UsageQuery }>('/admin/usage', route, async (request) => {
    const filter = usageFilter(request.query);
    store.usage.flush();
    const name = projectName();
    return {
      from: filter.fromIso,
      to: filter.toIso,
      totals: totals(store.db, filter),
      byModel: totalsByModel(store.db, filter),
      byProject: totalsByProject(store.db, filter).map((p) => ({ projectId: p.projectId, projectName: name(p.projectId), ...withoutId(p) })),
    };
  });

  app.get<{ Querystring: UsageQuery }>('/admin/usage/daily', route, async (request) => {
    const filter = usageFilter(request.query);
    store.usage.flush();
    return { from: filter.fromIso, to: filter.toIso, days: totalsByDay(store.db, filter) };
  });

  app.get<{ Querystring: UsageQuery }>('/admin/costs', route, async (request) => {
    const filter = usageFilter(request.query);
    store.usage.flush();
    const all = totals(store.db, filter);
    const name = projectName();
    return {
      from: filter.fromIso,
      to: filter.toIso,
      totals: { costUsd: all.costUsd, baselineCostUsd: all.baselineCostUsd, savedUsd: all.savedUsd, savedPct: savedPct(all) },
      byModel: totalsByModel(store.db, filter).map((m) => ({ model: m.model, ...costView(m) })),
      byProject: totalsByProject(store.db, filter).map((p) => ({ projectId: p.projectId, projectName: name(p.projectId), ...costView(p) })),
      byLayer: savedByLayer(store.db, filter),
    };
  });
}

function withoutId<T extends { projectId: string }>(row: T): Omit<T, 'projectId'> {
  const { projectId: _projectId, ...rest } = row;
  return rest;
}

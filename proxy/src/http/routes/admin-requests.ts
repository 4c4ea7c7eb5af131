// GET /admin/requests (the dashboard's feed: newest first, paged), /admin/requests/:id, /admin/errors and
// /admin/errors/stats.
import type { FastifyInstance } from 'fastify';
import { GatewayError, invalidRequest } from '../../errors.ts';
import { errorStats, recentErrors } from '../../store/error-queries.ts';
import type { GatewayStore } from '../../store/gateway-store.ts';
import { recentRequests, requestById, UnknownCursorError } from '../../store/usage-queries.ts';
import { statusFilter, usageFilter } from '../admin-query.ts';
import { ERRORS_QUERY, REQUESTS_QUERY, USAGE_QUERY, type ErrorsQuery, type RequestsQuery, type UsageQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE, ADMIN_ROUTE, adminCall } from './admin-route.ts';

function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownCursorError) throw invalidRequest(`before: no entry with id "${error.message}"`, 'before');
    throw error;
  }
}

export function registerAdminRequests(app: FastifyInstance, store: GatewayStore): void {
  app.get<{ Querystring: RequestsQuery }>('/admin/requests', { ...ADMIN_QUERY_ROUTE, schema: { querystring: REQUESTS_QUERY } }, async (request) => {
    const { limit, before, q } = request.query;
    const filter = usageFilter(request.query);
    const status = statusFilter(request.query.status);
    store.usage.flush();
    return paged(() =>
      recentRequests(store.db, { ...filter, limit, ...(before !== undefined && { before }), ...(status !== undefined && { status }), ...(q !== undefined && { q }) }),
    );
  });

  app.get<{ Params: { id: string } }>('/admin/requests/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    store.usage.flush();
    const found = requestById(store.db, request.params.id);
    if (!found) throw new GatewayError({ status: 404, type: 'not_found_error', code: 'request_not_found', message: `No request with id "${request.params.id}".` });
    return found;
  });

  app.get<{ Querystring: ErrorsQuery }>('/admin/errors', { ...ADMIN_QUERY_ROUTE, schema: { querystring: ERRORS_QUERY } }, async (request) => {
    const { limit, before } = request.query;
    const filter = usageFilter(request.query);
    store.usage.flush();
    return paged(() => recentErrors(store.db, { ...filter, limit, ...(before !== undefined && { before }) }));
  });

  app.get<{ Querystring: UsageQuery }>('/admin/errors/stats', { ...ADMIN_QUERY_ROUTE, schema: { querystring: USAGE_QUERY } }, async (request) => {
    const filter = usageFilter(request.query);
    store.usage.flush();
    return errorStats(store.db, filter);
  });
}

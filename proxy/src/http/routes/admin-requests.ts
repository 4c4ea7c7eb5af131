// GET /admin/requests (the dashboard's feed: newest first, paged), /admin/requests/:id, /admin/errors and
// /admin/errors/stats.
import type { FastifyInstance } from 'fastify';
import { GatewayError, invalidRequest } from '../../errors.ts';
import { errorStats, recentErrors } from '../../store/error-queries.ts';
import type { GatewayStore } from '../../store/gateway-store.ts';
import { recentRequests, requestById, UnknownCursorError } from '../../store/usage-queries.ts';
import { limitParam, statusParam, stringParam, usageFilter, type Query } from '../admin-query.ts';
import { ADMIN_ROUTE, adminCall } from './admin-route.ts';

function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownCursorError) throw invalidRequest(`before: no entry with id "${error.message}"`, 'before');
    throw error;
  }
}

export function registerAdminRequests(app: FastifyInstance, store: GatewayStore): void {
  app.get('/admin/requests', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    const query = request.query as Query;
    const filter = usageFilter(query);
    const limit = limitParam(query);
    const before = stringParam(query, 'before');
    const status = statusParam(query);
    const q = stringParam(query, 'q');
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

  app.get('/admin/errors', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    const query = request.query as Query;
    const filter = usageFilter(query);
    const limit = limitParam(query);
    const before = stringParam(query, 'before');
    store.usage.flush();
    return paged(() => recentErrors(store.db, { ...filter, limit, ...(before !== undefined && { before }) }));
  });

  app.get('/admin/errors/stats', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    const filter = usageFilter(request.query as Query);
    store.usage.flush();
    return errorStats(store.db, filter);
  });
}

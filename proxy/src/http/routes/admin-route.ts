// Route options every /admin route shares: the admin key is required and errors take OpenAI's shape.
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { QUERY_ROUTE } from './query-route.ts';

export const ADMIN_ROUTE = { config: { access: 'admin' as const, errorShape: 'openai' as const } };

/** Marks the request as an admin call in its log line. */
export function adminCall(request: FastifyRequest): void {
  request.record.endpoint = 'admin';
}

/** Marked before the query schema runs, so a refused query is logged as an admin call too. */
const markAdminCall: onRequestHookHandler = (request, _reply, done) => {
  adminCall(request);
  done();
};

/** ADMIN_ROUTE for a route with a query-string schema, spread next to its `schema: { querystring }`; its handler need not call adminCall. */
export const ADMIN_QUERY_ROUTE = { ...ADMIN_ROUTE, ...QUERY_ROUTE, onRequest: markAdminCall };

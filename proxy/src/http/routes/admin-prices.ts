// GET and PUT /admin/prices: the price table every cost is computed from. A PUT upserts the rows it names;
// costs of requests recorded afterwards use the new numbers (recorded costs are not rewritten).
import type { FastifyInstance } from 'fastify';
import type { GatewayStore } from '../../store/gateway-store.ts';
import { parsePricesBody } from '../../usage/price-input.ts';
import { ADMIN_ROUTE, adminCall } from './admin-route.ts';

export function registerAdminPrices(app: FastifyInstance, store: GatewayStore): void {
  app.get('/admin/prices', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return { data: store.prices.list() };
  });

  app.put('/admin/prices', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return { data: store.prices.upsert(parsePricesBody(request.body)) };
  });
}

// GET /admin/settings: which features are on and where the gateway keeps its state.
import type { FastifyInstance } from 'fastify';
import { ADMIN_ROUTE, adminCall } from './admin-route.ts';

export interface ConnectionStatus {
  configured: boolean;
  connected: boolean;
}

export interface StorageStatus {
  sqlite: string;
  redis: ConnectionStatus;
  postgres: ConnectionStatus;
}

export function registerAdminSettings(app: FastifyInstance, features: () => Record<string, boolean>, storage: () => StorageStatus): void {
  app.get('/admin/settings', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return { features: features(), storage: storage() };
  });
}

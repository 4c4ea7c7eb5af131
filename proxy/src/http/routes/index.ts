// Every route of the gateway, in one place: the API (OpenAI and Anthropic), health and models, then the admin
// API and the dashboard. Routes that come with an optional feature (batches, memory, tools) register with it.
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../gateway/context.ts';
import { registerAdminBudgets } from './admin-budgets.ts';
import { registerAdminExport } from './admin-export.ts';
import { registerAdminPrices } from './admin-prices.ts';
import { registerAdminProjects } from './admin-projects.ts';
import { registerAdminRequests } from './admin-requests.ts';
import { registerAdminRouting } from './admin-routing.ts';
import { registerAdminSettings, type StorageStatus } from './admin-settings.ts';
import { registerAdminUsage } from './admin-usage.ts';
import { registerChatCompletions } from './chat-completions.ts';
import { registerDashboard } from './dashboard.ts';
import { registerHealth } from './health.ts';
import { registerMessages } from './messages.ts';
import { registerModels } from './models.ts';
import { registerResponses } from './responses.ts';

export function registerRoutes(app: FastifyInstance, ctx: GatewayContext, features: () => Record<string, boolean>, storage: () => StorageStatus): void {
  registerHealth(app, ctx, features);
  registerModels(app, ctx);
  registerChatCompletions(app, ctx);
  registerMessages(app, ctx);
  registerResponses(app, ctx);
  registerAdminRouting(app, ctx);
  registerDashboard(app);
  registerAdminUsage(app, ctx.store);
  registerAdminRequests(app, ctx.store);
  registerAdminProjects(app, ctx.config, ctx.store);
  registerAdminPrices(app, ctx.store);
  registerAdminBudgets(app, ctx.budgets);
  registerAdminExport(app, ctx.store);
  registerAdminSettings(app, features, storage);
}

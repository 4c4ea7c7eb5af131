// GET /admin/tools: the plugin tools this gateway can run (built-in and from DATA_DIR/plugins), the plugins that
// failed to load and why, and with ?project=<id> which of them that project may use.
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/config.ts';
import { GatewayError } from '../../errors.ts';
import type { GatewayStore } from '../../store/gateway-store.ts';
import type { ToolRegistry } from '../../tools/tool-registry.ts';
import { TOOLS_QUERY, type ToolsQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE } from './admin-route.ts';

export function registerToolsAdmin(app: FastifyInstance, config: GatewayConfig, store: GatewayStore, registry: ToolRegistry): void {
  app.get<{ Querystring: ToolsQuery }>('/admin/tools', { ...ADMIN_QUERY_ROUTE, schema: { querystring: TOOLS_QUERY } }, async (request) => {
    const projectId = request.query.project;
    let allowed: string[] | null = null;
    if (projectId !== undefined) {
      const project = store.projects.get(projectId);
      if (!project && projectId !== 'default') {
        throw new GatewayError({ status: 404, type: 'not_found_error', code: 'project_not_found', message: `No project with id "${projectId}".` });
      }
      allowed = project?.allowedTools ?? null;
    }
    return {
      enabled: config.enablePluginTools,
      timeoutSeconds: config.pluginToolTimeoutMs / 1000,
      data: registry.list().map((tool) => ({
        name: tool.name,
        description: tool.description,
        source: tool.source,
        file: tool.file ?? null,
        inputSchema: tool.inputSchema,
        ...(projectId !== undefined && { allowed: allowed === null || allowed.includes(tool.name) }),
      })),
      errors: registry.loadErrors,
    };
  });
}

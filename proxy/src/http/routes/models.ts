// GET /v1/models (and /models): the OpenAI list shape, with aliases and MODEL_PREFIX ids so IDEs that reserve
// Claude names can still pick one.
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { aliasTable } from '../../routing/resolve-model.ts';
import type { DirectoryModel } from '../../upstream/model-directory.ts';
import type { GatewayContext } from '../../gateway/context.ts';

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

function createdSeconds(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

/** Upstream models first (newest first, as Anthropic lists them), then aliases, then every id again with the prefix. */
export function openAIModelList(models: DirectoryModel[], ctx: Pick<GatewayContext, 'config'>): OpenAIModel[] {
  const seen = new Set<string>();
  const out: OpenAIModel[] = [];
  const add = (id: string, created: number, owner: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ id, object: 'model', created, owned_by: owner });
  };
  const created = new Map(models.map((m) => [m.id, createdSeconds(m.createdAt)]));
  for (const m of models) add(m.id, created.get(m.id) ?? 0, 'anthropic');
  for (const [alias, target] of Object.entries(aliasTable(ctx.config))) add(alias, created.get(target) ?? 0, 'coding-gateway');
  const prefix = ctx.config.modelPrefix;
  if (prefix) {
    for (const id of [...seen]) add(`${prefix}${id}`, created.get(id) ?? 0, 'coding-gateway');
  }
  return out;
}

export function registerModels(app: FastifyInstance, ctx: GatewayContext): void {
  const options = { config: { access: 'api' as const, errorShape: 'openai' as const } };
  for (const base of ['/v1/models', '/models']) {
    app.get(base, options, async (request, reply) => {
      request.record.endpoint = 'models';
      const listing = await ctx.models.list();
      reply.header('x-model-source', listing.source);
      return { object: 'list', data: openAIModelList(listing.models, ctx) };
    });
    app.get<{ Params: { id: string } }>(`${base}/:id`, options, async (request) => {
      request.record.endpoint = 'models';
      const listing = await ctx.models.list();
      const found = openAIModelList(listing.models, ctx).find((m) => m.id === request.params.id);
      if (!found) {
        throw new GatewayError({ status: 404, code: 'model_not_found', param: 'model', message: `The model '${request.params.id}' does not exist.` });
      }
      return found;
    });
  }
}

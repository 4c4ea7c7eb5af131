// GET /v1/models and GET /v1/models/{id}.
// From "List Models" / "Get a Model" (platform.claude.com API reference): newest first; limit defaults to
// 20 and ranges 1-1000; after_id / before_id are cursors; the page carries data, first_id, last_id and
// has_more; retrieving by alias resolves to the model it names; retired models are listed only on request.
import { ApiError, invalid } from './api-error.ts';
import type { Route, RouteContext } from './context.ts';
import { sendJson } from './http-out.ts';
import { findModel, modelInfo, MODELS_NEWEST_FIRST } from './models.ts';

function pageLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit)) throw invalid('limit: Input should be a valid integer');
  if (limit < 1) throw invalid('limit: Input should be greater than or equal to 1');
  if (limit > 1000) throw invalid('limit: Input should be less than or equal to 1000');
  return limit;
}

function listModels(ctx: RouteContext): void {
  const limit = pageLimit(ctx.query);
  const afterId = ctx.query.get('after_id');
  const beforeId = ctx.query.get('before_id');
  const ids = MODELS_NEWEST_FIRST.map((m) => m.id);
  let start = 0;
  let end: number;
  if (afterId !== null) start = ids.indexOf(afterId) + 1 || ids.length;
  if (beforeId !== null) {
    const at = ids.indexOf(beforeId);
    end = at < 0 ? 0 : at;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(ids.length, start + limit);
  }
  const page = MODELS_NEWEST_FIRST.slice(start, end).map(modelInfo);
  const hasMore = beforeId !== null ? start > 0 : end < ids.length;
  sendJson(ctx, 200, {
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page[page.length - 1]?.id ?? null,
    has_more: hasMore,
  });
}

function getModel(ctx: RouteContext): void {
  const id = decodeURIComponent(ctx.params[0]!);
  const model = findModel(id);
  if (!model) throw new ApiError(404, `model: ${id}`);
  sendJson(ctx, 200, modelInfo(model));
}

export const modelsRoutes: Route[] = [
  { method: 'GET', path: /^\/v1\/models$/, handle: listModels },
  { method: 'GET', path: /^\/v1\/models\/([^/]+)$/, handle: getModel },
];

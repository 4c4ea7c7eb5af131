// POST /v1/batch (a list of chat-completion requests as JSON, or OpenAI batch JSONL as the body or a multipart
// file), GET /v1/batch (list), GET /v1/batch/{id} (status, counts, and the results once done), POST
// /v1/batch/{id}/cancel. The OpenAI /v1/batches + /v1/files flow is in batch-openai.ts; both share one store.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidRequest } from '../../errors.ts';
import { itemsFromJson, itemsFromJsonl, optionsOf, type BatchItemInput, type BatchRequestOptions } from '../../batch/batch-input.ts';
import type { BatchService } from '../../batch/batch-service.ts';
import type { BatchRow, BatchStore } from '../../batch/batch-store.ts';
import { isTerminal, itemResults, openAIBatch } from '../../batch/batch-view.ts';
import { BATCH_LIST_QUERY, BATCH_QUERY, type BatchListQuery, type BatchQuery } from '../schemas/batch.ts';
import { registerOpenAIBatches } from './batch-openai.ts';
import { API_ROUTE, formOf, listPage, ownBatch, projectOf, fileText } from './batch-shared.ts';
import { QUERY_ROUTE } from './query-route.ts';

const JSONL_TYPES = ['application/jsonl', 'application/x-ndjson', 'application/jsonlines', 'application/x-jsonlines'];

type IdParams = { Params: { id: string } };

export function registerBatchRoutes(app: FastifyInstance, service: BatchService, store: BatchStore): void {
  // In a scope of their own, so the body parsers for JSONL and file uploads apply to these routes only.
  void app.register(async (scope) => {
    scope.addContentTypeParser(JSONL_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const view = (batch: BatchRow, withResults: boolean) => {
      const counts = store.counts(batch.id);
      const base = openAIBatch(batch, counts);
      return withResults && isTerminal(batch) ? { ...base, results: itemResults(store.items(batch.id)) } : base;
    };

    scope.post('/v1/batch', API_ROUTE, async (request) => {
      const { items, options, inputFileId } = await batchInput(request, store);
      const batch = service.create({ identity: request.identity, items, options, endpoint: '/v1/chat/completions', inputFileId });
      return view(batch, true);
    });

    scope.get<{ Querystring: BatchListQuery }>('/v1/batch', { ...API_ROUTE, ...QUERY_ROUTE, schema: { querystring: BATCH_LIST_QUERY } }, async (request) => {
      const { limit, after } = request.query;
      const rows = store.list(projectOf(request), limit + 1, after);
      return listPage(rows.map((batch) => view(batch, false)), limit);
    });

    scope.get<IdParams & { Querystring: BatchQuery }>('/v1/batch/:id', { ...API_ROUTE, ...QUERY_ROUTE, schema: { querystring: BATCH_QUERY } }, async (request) => {
      const withResults = request.query.results !== 'false';
      ownBatch(store, request, request.params.id);
      await service.refresh(request.params.id);
      return view(ownBatch(store, request, request.params.id), withResults);
    });

    scope.post<IdParams>('/v1/batch/:id/cancel', API_ROUTE, async (request) => {
      ownBatch(store, request, request.params.id);
      return view(service.cancel(request.params.id)!, true);
    });

    registerOpenAIBatches(scope, service, store);
  });
}

async function batchInput(request: FastifyRequest, store: BatchStore): Promise<{ items: BatchItemInput[]; options: BatchRequestOptions; inputFileId: string | null }> {
  const body = request.body;
  const defaults = optionsOf({});
  if (typeof body === 'string') return { items: itemsFromJsonl(body), options: defaults, inputFileId: null };
  if (Buffer.isBuffer(body)) {
    const form = await formOf(request);
    const file = form.get('file');
    if (!(file instanceof Blob)) throw invalidRequest('The upload needs a "file" field with the batch JSONL.', 'file');
    return { items: itemsFromJsonl(await file.text()), options: defaults, inputFileId: null };
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && typeof (body as { input_file_id?: unknown }).input_file_id === 'string') {
    const fileId = (body as { input_file_id: string }).input_file_id;
    return { items: itemsFromJsonl(fileText(store, request, fileId)), options: optionsOf(body as Record<string, unknown>), inputFileId: fileId };
  }
  return { ...itemsFromJson(body), inputFileId: null };
}

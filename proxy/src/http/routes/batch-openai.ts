// OpenAI's batch flow, so its SDKs work unchanged: upload the JSONL with POST /v1/files (purpose "batch"),
// POST /v1/batches with its id, poll GET /v1/batches/{id}, then download output_file_id and error_file_id
// with GET /v1/files/{id}/content. Result files are made on request from the stored results.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest } from '../../errors.ts';
import { itemsFromJsonl, optionsOf } from '../../batch/batch-input.ts';
import type { BatchService } from '../../batch/batch-service.ts';
import type { BatchStore, FileRow } from '../../batch/batch-store.ts';
import { isTerminal, openAIBatch, resultFile, resultFileOf } from '../../batch/batch-view.ts';
import { BATCH_LIST_QUERY, FILES_QUERY, type BatchListQuery, type FilesQuery } from '../schemas/batch.ts';
import { API_ROUTE, fileText, formOf, listPage, ownBatch, projectOf } from './batch-shared.ts';
import { QUERY_ROUTE } from './query-route.ts';

type IdParams = { Params: { id: string } };

const PURPOSES = new Set(['batch', 'batch_output', 'user_data']);

function fileObject(file: FileRow) {
  return {
    id: file.id,
    object: 'file' as const,
    bytes: file.bytes,
    created_at: Math.floor(file.createdMs / 1000),
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed' as const,
    expires_at: null,
    status_details: null,
  };
}

function fileNotFound(id: string): GatewayError {
  return new GatewayError({ status: 404, type: 'invalid_request_error', code: 'file_not_found', message: `No such File object: ${id}` });
}

export function registerOpenAIBatches(app: FastifyInstance, service: BatchService, store: BatchStore): void {
  /** A result file of a finished batch of the caller's project, made from the stored results. */
  const resultFileFor = (request: FastifyRequest, id: string): { file: FileRow; content: string } | undefined => {
    const ref = resultFileOf(id);
    if (!ref) return undefined;
    const batch = store.get(ref.batchId);
    if (!batch || batch.projectId !== projectOf(request) || !isTerminal(batch)) return undefined;
    const content = resultFile(batch.id, store.items(batch.id), ref.kind);
    const file: FileRow = {
      id,
      projectId: batch.projectId,
      purpose: 'batch_output',
      filename: `${batch.id}_${ref.kind === 'output' ? 'output' : 'error'}.jsonl`,
      bytes: Buffer.byteLength(content),
      createdMs: batch.completedMs ?? batch.cancelledMs ?? batch.expiredMs ?? batch.failedMs ?? batch.createdMs,
    };
    return { file, content };
  };

  const ownFile = (request: FastifyRequest, id: string): FileRow => {
    const file = store.file(id);
    if (!file || file.projectId !== projectOf(request)) throw fileNotFound(id);
    return file;
  };

  app.post('/v1/files', API_ROUTE, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw invalidRequest('Upload files as multipart/form-data with "file" and "purpose" fields.', 'file');
    const form = await formOf(request);
    const purpose = form.get('purpose');
    const file = form.get('file');
    if (typeof purpose !== 'string' || !PURPOSES.has(purpose)) throw invalidRequest("purpose must be 'batch'", 'purpose');
    if (!(file instanceof Blob)) throw invalidRequest('The upload needs a "file" field.', 'file');
    const content = Buffer.from(await file.arrayBuffer());
    // Batch input is checked now, so a bad line is reported at upload as OpenAI does.
    if (purpose === 'batch') itemsFromJsonl(content.toString('utf8'));
    const row: FileRow = {
      id: `file-${service.newFileId()}`,
      projectId: projectOf(request),
      purpose,
      filename: file instanceof File && file.name ? file.name.slice(0, 255) : 'upload.jsonl',
      bytes: content.length,
      createdMs: service.now(),
    };
    store.insertFile(row, content);
    return fileObject(row);
  });

  app.get<{ Querystring: FilesQuery }>('/v1/files', { ...API_ROUTE, ...QUERY_ROUTE, schema: { querystring: FILES_QUERY } }, async (request) => {
    const { limit } = request.query;
    return { object: 'list' as const, data: store.files(projectOf(request), limit).map(fileObject), has_more: false };
  });

  app.get<IdParams>('/v1/files/:id', API_ROUTE, async (request) => {
    const result = resultFileFor(request, request.params.id);
    return fileObject(result ? result.file : ownFile(request, request.params.id));
  });

  app.get<IdParams>('/v1/files/:id/content', API_ROUTE, async (request, reply: FastifyReply) => {
    const result = resultFileFor(request, request.params.id);
    const content = result ? result.content : fileText(store, request, ownFile(request, request.params.id).id);
    return reply.header('content-type', 'application/octet-stream').send(content);
  });

  app.delete<IdParams>('/v1/files/:id', API_ROUTE, async (request) => {
    ownFile(request, request.params.id);
    store.deleteFile(request.params.id);
    return { id: request.params.id, object: 'file' as const, deleted: true };
  });

  app.post('/v1/batches', API_ROUTE, async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
    if (typeof body.input_file_id !== 'string') throw invalidRequest('input_file_id is required', 'input_file_id');
    if (body.endpoint !== '/v1/chat/completions') throw invalidRequest("endpoint must be '/v1/chat/completions'", 'endpoint');
    const items = itemsFromJsonl(fileText(store, request, body.input_file_id));
    const batch = service.create({ identity: request.identity, items, options: optionsOf(body), endpoint: body.endpoint, inputFileId: body.input_file_id });
    return openAIBatch(batch, store.counts(batch.id));
  });

  app.get<{ Querystring: BatchListQuery }>('/v1/batches', { ...API_ROUTE, ...QUERY_ROUTE, schema: { querystring: BATCH_LIST_QUERY } }, async (request) => {
    const { limit, after } = request.query;
    const rows = store.list(projectOf(request), limit + 1, after);
    return listPage(rows.map((batch) => openAIBatch(batch, store.counts(batch.id))), limit);
  });

  app.get<IdParams>('/v1/batches/:id', API_ROUTE, async (request) => {
    ownBatch(store, request, request.params.id);
    await service.refresh(request.params.id);
    const batch = ownBatch(store, request, request.params.id);
    return openAIBatch(batch, store.counts(batch.id));
  });

  app.post<IdParams>('/v1/batches/:id/cancel', API_ROUTE, async (request) => {
    ownBatch(store, request, request.params.id);
    const batch = service.cancel(request.params.id)!;
    return openAIBatch(batch, store.counts(batch.id));
  });
}

// What the /v1/batch routes and the OpenAI /v1/batches + /v1/files routes share: the caller's project, its
// batches and files, multipart forms and list pages.
import type { FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest } from '../../errors.ts';
import type { BatchRow, BatchStore } from '../../batch/batch-store.ts';

export const API_ROUTE = { config: { access: 'api' as const, errorShape: 'openai' as const } };
export function projectOf(request: FastifyRequest): string {
  return request.identity?.project.id ?? 'default';
}

export function batchNotFound(id: string): GatewayError {
  return new GatewayError({ status: 404, type: 'invalid_request_error', code: 'batch_not_found', message: `No batch found with id '${id}'.` });
}

/** The batch, when it belongs to the caller's project. */
export function ownBatch(store: BatchStore, request: FastifyRequest, id: string): BatchRow {
  const batch = store.get(id);
  if (!batch || batch.projectId !== projectOf(request)) throw batchNotFound(id);
  return batch;
}

/** A multipart form's fields, parsed by the platform's own form-data reader. */
export async function formOf(request: FastifyRequest): Promise<FormData> {
  const type = request.headers['content-type'] ?? '';
  try {
    return await new Response(new Uint8Array(request.body as Buffer), { headers: { 'content-type': type } }).formData();
  } catch {
    throw invalidRequest('The multipart body could not be read.', null);
  }
}

export function listPage<T extends { id: string }>(rows: readonly T[], limit: number) {
  const data = rows.slice(0, limit);
  return { object: 'list' as const, data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: rows.length > limit };
}

/** An uploaded file's text, when the caller's project owns it. */
export function fileText(store: BatchStore, request: FastifyRequest, fileId: string): string {
  const file = store.file(fileId);
  const content = file && file.projectId === projectOf(request) ? store.fileContent(fileId) : undefined;
  if (!content) throw new GatewayError({ status: 404, type: 'invalid_request_error', code: 'file_not_found', param: 'input_file_id', message: `No file found with id '${fileId}'.` });
  return content.toString('utf8');
}

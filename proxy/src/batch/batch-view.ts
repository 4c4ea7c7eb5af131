// How a batch looks to clients: OpenAI's Batch object (for /v1/batches and /v1/batch), the per-request results,
// and the output and error files in OpenAI's JSONL shape. Pure.
import type { BatchRow, ItemCounts, ItemRow } from './batch-store.ts';
import { TERMINAL_STATUSES } from './batch-store.ts';

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

export function outputFileId(batchId: string): string {
  return `file-${batchId}-output`;
}

export function errorFileId(batchId: string): string {
  return `file-${batchId}-errors`;
}

/** `file-<batch id>-output` / `-errors` → the batch and which file, for the virtual result files. */
export function resultFileOf(fileId: string): { batchId: string; kind: 'output' | 'errors' } | undefined {
  const match = /^file-(batch_[A-Za-z0-9]+)-(output|errors)$/.exec(fileId);
  return match ? { batchId: match[1]!, kind: match[2] as 'output' | 'errors' } : undefined;
}

export function isTerminal(batch: Pick<BatchRow, 'status'>): boolean {
  return TERMINAL_STATUSES.includes(batch.status);
}

export function openAIBatch(batch: BatchRow, counts: ItemCounts) {
  const done = isTerminal(batch);
  return {
    id: batch.id,
    object: 'batch' as const,
    endpoint: batch.endpoint,
    errors: batch.errors ? { object: 'list' as const, data: [{ code: batch.errors.code, message: batch.errors.message, param: null, line: null }] } : null,
    input_file_id: batch.inputFileId ?? '',
    completion_window: batch.completionWindow,
    status: batch.status,
    output_file_id: done && counts.succeeded > 0 ? outputFileId(batch.id) : null,
    error_file_id: done && counts.total - counts.succeeded - counts.pending > 0 ? errorFileId(batch.id) : null,
    created_at: seconds(batch.createdMs)!,
    in_progress_at: seconds(batch.inProgressMs),
    expires_at: seconds(batch.expiresMs),
    finalizing_at: seconds(batch.finalizingMs),
    completed_at: seconds(batch.completedMs),
    failed_at: seconds(batch.failedMs),
    expired_at: seconds(batch.expiredMs),
    cancelling_at: seconds(batch.cancellingMs),
    cancelled_at: seconds(batch.cancelledMs),
    request_counts: { total: counts.total, completed: counts.succeeded, failed: counts.total - counts.succeeded - counts.pending },
    metadata: batch.metadata,
    /** Which upstream ran it: Anthropic's Message Batches (billed at the batch discount) or the live API. */
    backend: batch.backend,
  };
}

export interface ItemResult {
  custom_id: string;
  status: Exclude<ItemRow['status'], 'pending'> | 'pending';
  response: Record<string, unknown> | null;
  error: ItemRow['error'];
}

export function itemResults(items: readonly ItemRow[]): ItemResult[] {
  return items.map((item) => ({ custom_id: item.customId, status: item.status, response: item.response, error: item.error }));
}

/** A line of OpenAI's output or error file for one request. */
function fileLine(batchId: string, item: ItemRow) {
  const id = `batch_req_${batchId.slice('batch_'.length)}_${item.idx}`;
  if (item.status === 'succeeded') {
    return { id, custom_id: item.customId, response: { status_code: 200, request_id: `${batchId}-${item.idx}`, body: item.response }, error: null };
  }
  if (item.status === 'errored' && item.error) {
    return { id, custom_id: item.customId, response: { status_code: item.error.status, request_id: `${batchId}-${item.idx}`, body: { error: item.error.error } }, error: null };
  }
  const code = item.status === 'expired' ? 'batch_expired' : 'batch_cancelled';
  const message = item.status === 'expired' ? 'This request could not be executed before the completion window expired.' : 'This request was cancelled before it ran.';
  return { id, custom_id: item.customId, response: null, error: { code, message } };
}

export function resultFile(batchId: string, items: readonly ItemRow[], kind: 'output' | 'errors'): string {
  return items
    .filter((item) => item.status !== 'pending' && (kind === 'output') === (item.status === 'succeeded'))
    .map((item) => `${JSON.stringify(fileLine(batchId, item))}\n`)
    .join('');
}

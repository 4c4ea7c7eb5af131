// Batch jobs, their items and uploaded input files in SQLite: everything a restarted gateway needs to carry
// on polling, running or reporting a batch where the previous process left it.
import type { Db } from '../store/sqlite.ts';
import { jsonColumn } from '../store/sqlite.ts';
import type { ItemError, PreparedItem } from './batch-translate.ts';

export type BatchStatus = 'validating' | 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'expired';
export type ItemStatus = 'pending' | 'succeeded' | 'errored' | 'canceled' | 'expired';

export const ACTIVE_STATUSES: readonly BatchStatus[] = ['validating', 'in_progress', 'finalizing', 'cancelling'];
export const TERMINAL_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

export interface BatchRow {
  id: string;
  projectId: string;
  keyId: string | null;
  status: BatchStatus;
  backend: 'anthropic' | 'live' | null;
  upstreamId: string | null;
  endpoint: string;
  completionWindow: string;
  inputFileId: string | null;
  metadata: Record<string, string> | null;
  errors: { code: string; message: string } | null;
  createdMs: number;
  expiresMs: number;
  inProgressMs: number | null;
  finalizingMs: number | null;
  completedMs: number | null;
  failedMs: number | null;
  cancellingMs: number | null;
  cancelledMs: number | null;
  expiredMs: number | null;
}

export interface ItemRow {
  idx: number;
  customId: string;
  requestedModel: string | null;
  model: string | null;
  routeReason: string | null;
  params: Record<string, unknown> | null;
  customToolNames: string[];
  status: ItemStatus;
  response: Record<string, unknown> | null;
  error: ItemError | null;
  finishedMs: number | null;
}

export interface ItemCounts {
  total: number;
  pending: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

export interface FileRow {
  id: string;
  projectId: string;
  purpose: string;
  filename: string;
  bytes: number;
  createdMs: number;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A batches row as SQLite returns it: snake_case columns, JSON kept as text. */
interface RawBatch {
  id: string; project_id: string; key_id: string | null; status: BatchStatus; backend: BatchRow['backend'];
  upstream_id: string | null; endpoint: string; completion_window: string; input_file_id: string | null;
  metadata_json: string | null; errors_json: string | null; created_ms: number; expires_ms: number;
  in_progress_ms: number | null; finalizing_ms: number | null; completed_ms: number | null; failed_ms: number | null;
  cancelling_ms: number | null; cancelled_ms: number | null; expired_ms: number | null;
}

/** A batch_items row as SQLite returns it. */
interface RawItem {
  idx: number; custom_id: string; requested_model: string | null; model: string | null; route_reason: string | null;
  params_json: string | null; custom_tools_json: string | null; status: ItemStatus; response_json: string | null;
  error_json: string | null; finished_ms: number | null;
}

/** A batch_files row without its content. */
interface RawFile { id: string; project_id: string; purpose: string; filename: string; bytes: number; created_ms: number }

function toBatch(r: RawBatch): BatchRow {
  return {
    id: r.id,
    projectId: r.project_id,
    keyId: r.key_id,
    status: r.status,
    backend: r.backend,
    upstreamId: r.upstream_id,
    endpoint: r.endpoint,
    completionWindow: r.completion_window,
    inputFileId: r.input_file_id,
    metadata: parse(r.metadata_json),
    errors: parse(r.errors_json),
    createdMs: r.created_ms,
    expiresMs: r.expires_ms,
    inProgressMs: r.in_progress_ms,
    finalizingMs: r.finalizing_ms,
    completedMs: r.completed_ms,
    failedMs: r.failed_ms,
    cancellingMs: r.cancelling_ms,
    cancelledMs: r.cancelled_ms,
    expiredMs: r.expired_ms,
  };
}

function toItem(r: RawItem): ItemRow {
  return {
    idx: r.idx,
    customId: r.custom_id,
    requestedModel: r.requested_model,
    model: r.model,
    routeReason: r.route_reason,
    params: parse(r.params_json),
    customToolNames: parse<string[]>(r.custom_tools_json) ?? [],
    status: r.status,
    response: parse(r.response_json),
    error: parse(r.error_json),
    finishedMs: r.finished_ms,
  };
}

const TIME_COLUMNS: Record<string, string> = {
  inProgressMs: 'in_progress_ms',
  finalizingMs: 'finalizing_ms',
  completedMs: 'completed_ms',
  failedMs: 'failed_ms',
  cancellingMs: 'cancelling_ms',
  cancelledMs: 'cancelled_ms',
  expiredMs: 'expired_ms',
};

export type BatchPatch = Partial<Pick<BatchRow, 'status' | 'backend' | 'upstreamId' | 'errors' | 'inProgressMs' | 'finalizingMs' | 'completedMs' | 'failedMs' | 'cancellingMs' | 'cancelledMs' | 'expiredMs'>>;

export function createBatchStore(db: Db) {
  const q = {
    insertBatch: db.prepare(`
      INSERT INTO batches (id, project_id, key_id, status, endpoint, completion_window, input_file_id, metadata_json, created_ms, expires_ms)
      VALUES (@id, @projectId, @keyId, @status, @endpoint, @completionWindow, @inputFileId, @metadata, @createdMs, @expiresMs)`),
    insertItem: db.prepare(`
      INSERT INTO batch_items (batch_id, idx, custom_id, requested_model, model, route_reason, params_json, custom_tools_json, status, error_json, finished_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    get: db.prepare('SELECT * FROM batches WHERE id = ?'),
    active: db.prepare(`SELECT * FROM batches WHERE status IN (${ACTIVE_STATUSES.map(() => '?').join(', ')}) ORDER BY created_ms`),
    items: db.prepare('SELECT * FROM batch_items WHERE batch_id = ? ORDER BY idx'),
    pending: db.prepare(`SELECT * FROM batch_items WHERE batch_id = ? AND status = 'pending' ORDER BY idx`),
    finish: db.prepare(`UPDATE batch_items SET status = ?, response_json = ?, error_json = ?, finished_ms = ? WHERE batch_id = ? AND idx = ? AND status = 'pending'`),
    counts: db.prepare('SELECT status, COUNT(*) AS n FROM batch_items WHERE batch_id = ? GROUP BY status'),
    insertFile: db.prepare('INSERT INTO batch_files (id, project_id, purpose, filename, bytes, content, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    file: db.prepare('SELECT id, project_id, purpose, filename, bytes, created_ms FROM batch_files WHERE id = ?'),
    fileContent: db.prepare('SELECT content FROM batch_files WHERE id = ?'),
    files: db.prepare('SELECT id, project_id, purpose, filename, bytes, created_ms FROM batch_files WHERE project_id = ? ORDER BY created_ms DESC, id DESC LIMIT ?'),
    deleteFile: db.prepare('DELETE FROM batch_files WHERE id = ?'),
  };

  const toFile = (r: RawFile): FileRow => ({
    id: r.id,
    projectId: r.project_id,
    purpose: r.purpose,
    filename: r.filename,
    bytes: r.bytes,
    createdMs: r.created_ms,
  });

  return {
    insert(batch: Pick<BatchRow, 'id' | 'projectId' | 'keyId' | 'status' | 'endpoint' | 'completionWindow' | 'inputFileId' | 'metadata' | 'createdMs' | 'expiresMs'>, items: readonly PreparedItem[]): void {
      db.transaction(() => {
        q.insertBatch.run({ ...batch, metadata: jsonColumn(batch.metadata) });
        for (const item of items) {
          q.insertItem.run(
            batch.id,
            item.idx,
            item.customId,
            item.requestedModel,
            item.model,
            item.routeReason,
            jsonColumn(item.params),
            jsonColumn(item.customToolNames),
            item.error ? 'errored' : 'pending',
            jsonColumn(item.error),
            item.error ? batch.createdMs : null,
          );
        }
      })();
    },

    get(id: string): BatchRow | undefined {
      const row = q.get.get(id) as RawBatch | undefined;
      return row ? toBatch(row) : undefined;
    },

    list(projectId: string, limit: number, after?: string): BatchRow[] {
      const anchor = after ? (q.get.get(after) as RawBatch | undefined) : undefined;
      const rows = anchor
        ? db.prepare('SELECT * FROM batches WHERE project_id = ? AND (created_ms < ? OR (created_ms = ? AND id < ?)) ORDER BY created_ms DESC, id DESC LIMIT ?').all(projectId, anchor.created_ms, anchor.created_ms, anchor.id, limit)
        : db.prepare('SELECT * FROM batches WHERE project_id = ? ORDER BY created_ms DESC, id DESC LIMIT ?').all(projectId, limit);
      return (rows as RawBatch[]).map(toBatch);
    },

    active(): BatchRow[] {
      return (q.active.all(...ACTIVE_STATUSES) as RawBatch[]).map(toBatch);
    },

    patch(id: string, patch: BatchPatch): void {
      const sets: string[] = [];
      const args: unknown[] = [];
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        const column = key === 'status' ? 'status' : key === 'backend' ? 'backend' : key === 'upstreamId' ? 'upstream_id' : key === 'errors' ? 'errors_json' : TIME_COLUMNS[key];
        if (!column) continue;
        sets.push(`${column} = ?`);
        args.push(key === 'errors' ? jsonColumn(value) : value);
      }
      if (sets.length > 0) db.prepare(`UPDATE batches SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    },

    items(batchId: string): ItemRow[] {
      return (q.items.all(batchId) as RawItem[]).map(toItem);
    },

    pending(batchId: string): ItemRow[] {
      return (q.pending.all(batchId) as RawItem[]).map(toItem);
    },

    /** Settles a pending item; false when it was already settled (a result seen twice is counted once). */
    finish(batchId: string, idx: number, status: Exclude<ItemStatus, 'pending'>, outcome: { response?: unknown; error?: ItemError | null }, at: number): boolean {
      return q.finish.run(status, jsonColumn(outcome.response), jsonColumn(outcome.error), at, batchId, idx).changes > 0;
    },

    counts(batchId: string): ItemCounts {
      const counts: ItemCounts = { total: 0, pending: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
      for (const row of q.counts.all(batchId) as Array<{ status: ItemStatus; n: number }>) {
        counts[row.status] = row.n;
        counts.total += row.n;
      }
      return counts;
    },

    transaction<T>(run: () => T): T {
      return db.transaction(run)();
    },

    insertFile(file: FileRow, content: Buffer): void {
      q.insertFile.run(file.id, file.projectId, file.purpose, file.filename, file.bytes, content, file.createdMs);
    },

    file(id: string): FileRow | undefined {
      const row = q.file.get(id) as RawFile | undefined;
      return row ? toFile(row) : undefined;
    },

    fileContent(id: string): Buffer | undefined {
      return (q.fileContent.get(id) as { content: Buffer } | undefined)?.content;
    },

    files(projectId: string, limit: number): FileRow[] {
      return (q.files.all(projectId, limit) as RawFile[]).map(toFile);
    },

    deleteFile(id: string): boolean {
      return q.deleteFile.run(id).changes > 0;
    },
  };
}

export type BatchStore = ReturnType<typeof createBatchStore>;

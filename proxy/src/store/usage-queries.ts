// Reading usage records back: the newest-first feed with its filters and paging, one record by id, and the
// oldest-first walk an export streams.
import type { UsageRecord } from '../usage/record.ts';
import { newestFirst } from './newest-first.ts';
import type { Db } from './sqlite.ts';
import { whereOf, type UsageFilter, type Where } from './usage-filter.ts';
import { toUsageRecord, type UsageRow } from './usage-table.ts';

/** `404`, `4xx`, `5xx`, or `error` (every failed request, error frames inside a 200 stream included). */
export type StatusFilter = number | '2xx' | '3xx' | '4xx' | '5xx' | 'error';

export interface RequestQuery extends UsageFilter {
  limit: number;
  /** A request id: the page starts after it. */
  before?: string;
  status?: StatusFilter;
  /** Free text matched against ids, models, route reason, client, error type and key id. */
  q?: string;
}

export { UnknownCursorError } from './newest-first.ts';

function statusWhere(status: StatusFilter): Where {
  if (typeof status === 'number') return { sql: 'status = ?', params: [status] };
  if (status === 'error') return { sql: '(status >= 400 OR error_type IS NOT NULL)', params: [] };
  const base = Number(status[0]) * 100;
  return { sql: 'status >= ? AND status < ?', params: [base, base + 100] };
}

const SEARCHED = ['id', 'requested_model', 'model', 'route_reason', 'client', 'error_type', 'key_id'];

function searchWhere(q: string): Where {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return { sql: `(${SEARCHED.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`, params: SEARCHED.map(() => pattern) };
}

export function recentRequests(db: Db, query: RequestQuery): { data: UsageRecord[]; nextBefore: string | null } {
  const extra: Where[] = [];
  if (query.status !== undefined) extra.push(statusWhere(query.status));
  if (query.q) extra.push(searchWhere(query.q));
  return newestFirst<UsageRow, UsageRecord>(db, 'usage_records', query, extra, toUsageRecord);
}

export function requestById(db: Db, id: string): UsageRecord | undefined {
  const row = db.prepare('SELECT * FROM usage_records WHERE id = ? ORDER BY seq DESC LIMIT 1').get(id) as UsageRow | undefined;
  return row && toUsageRecord(row);
}

/**
 * Every record the filter selects, oldest first, read in pages so that other statements (the batched inserts)
 * can run between them while a large export streams out.
 */
export function* walkRecords(db: Db, filter: UsageFilter, pageSize = 1000): Generator<UsageRecord[]> {
  let after: { ts: number; seq: number } | undefined;
  for (;;) {
    const extra: Where[] = after ? [{ sql: '(ts_ms > ? OR (ts_ms = ? AND seq > ?))', params: [after.ts, after.ts, after.seq] }] : [];
    const where = whereOf(filter, extra);
    const rows = db.prepare(`SELECT * FROM usage_records ${where.sql} ORDER BY ts_ms, seq LIMIT ?`).all(...where.params, pageSize) as UsageRow[];
    if (rows.length === 0) return;
    yield rows.map(toUsageRecord);
    const last = rows[rows.length - 1]!;
    after = { ts: last.ts_ms, seq: last.seq };
    if (rows.length < pageSize) return;
  }
}

/** The reduction layers that appear in the selected records, for the columns of an export. */
export function layersIn(db: Db, filter: UsageFilter): string[] {
  const where = whereOf(filter);
  const rows = db
    .prepare(`SELECT DISTINCT j.key AS layer FROM usage_records, json_each(usage_records.reduction_json) AS j ${where.sql} ORDER BY j.key`)
    .all(...where.params) as Array<{ layer: string }>;
  return rows.map((r) => r.layer);
}

// Reading error events back: newest first with paging, and counts by type, status and model.
import type { ErrorEvent } from '../reliability/error-events.ts';
import type { Db } from './sqlite.ts';
import { whereOf, type UsageFilter, type Where } from './usage-filter.ts';
import { toErrorEvent, type ErrorRow } from './usage-table.ts';
import { UnknownCursorError } from './usage-queries.ts';

export interface ErrorQuery extends UsageFilter {
  limit: number;
  /** An error event id: the page starts after it. */
  before?: string;
}

export function recentErrors(db: Db, query: ErrorQuery): { data: ErrorEvent[]; nextBefore: string | null } {
  const extra: Where[] = [];
  if (query.before !== undefined) {
    const cursor = db.prepare('SELECT ts_ms, seq FROM error_events WHERE id = ?').get(query.before) as { ts_ms: number; seq: number } | undefined;
    if (!cursor) throw new UnknownCursorError(query.before);
    extra.push({ sql: '(ts_ms < ? OR (ts_ms = ? AND seq < ?))', params: [cursor.ts_ms, cursor.ts_ms, cursor.seq] });
  }
  const where = whereOf(query, extra);
  const rows = db
    .prepare(`SELECT * FROM error_events ${where.sql} ORDER BY ts_ms DESC, seq DESC LIMIT ?`)
    .all(...where.params, query.limit + 1) as ErrorRow[];
  const page = rows.slice(0, query.limit).map(toErrorEvent);
  return { data: page, nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

export interface ErrorStats {
  byType: Array<{ type: string; count: number }>;
  byStatus: Array<{ status: number; count: number }>;
  byModel: Array<{ model: string; count: number }>;
}

export function errorStats(db: Db, filter: UsageFilter): ErrorStats {
  const where = whereOf(filter);
  const count = <T>(column: string, name: string) =>
    db
      .prepare(`SELECT ${column} AS ${name}, COUNT(*) AS count FROM error_events ${where.sql} GROUP BY 1 ORDER BY count DESC, 1`)
      .all(...where.params) as T[];
  return {
    byType: count('type', 'type'),
    byStatus: count('status', 'status'),
    byModel: count(`COALESCE(model, 'unknown')`, 'model'),
  };
}

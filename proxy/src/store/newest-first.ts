// Newest-first pages over a table with `id`, `ts_ms` and `seq`: a page starts after the row named by `before`
// (keyset paging, stable while rows are added) and says which id the next page starts after.
import type { Db } from './sqlite.ts';
import { whereOf, type UsageFilter, type Where } from './usage-filter.ts';

/** `before` named no row; the message is the id it named. */
export class UnknownCursorError extends Error {}

export interface Page<T> {
  data: T[];
  nextBefore: string | null;
}

export function newestFirst<Row, T extends { id: string }>(
  db: Db,
  table: 'usage_records' | 'error_events',
  query: UsageFilter & { limit: number; before?: string },
  extra: Where[],
  toItem: (row: Row) => T,
): Page<T> {
  const conditions = [...extra];
  if (query.before !== undefined) {
    const cursor = db.prepare(`SELECT ts_ms, seq FROM ${table} WHERE id = ? ORDER BY seq DESC LIMIT 1`).get(query.before) as
      | { ts_ms: number; seq: number }
      | undefined;
    if (!cursor) throw new UnknownCursorError(query.before);
    conditions.push({ sql: '(ts_ms < ? OR (ts_ms = ? AND seq < ?))', params: [cursor.ts_ms, cursor.ts_ms, cursor.seq] });
  }
  const where = whereOf(query, conditions);
  const rows = db.prepare(`SELECT * FROM ${table} ${where.sql} ORDER BY ts_ms DESC, seq DESC LIMIT ?`).all(...where.params, query.limit + 1) as Row[];
  const page = rows.slice(0, query.limit).map(toItem);
  return { data: page, nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

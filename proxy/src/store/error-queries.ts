// Reading error events back: newest first with paging, and counts by type, status and model.
import type { ErrorEvent } from '../reliability/error-events.ts';
import type { Db } from './sqlite.ts';
import { whereOf, type UsageFilter } from './usage-filter.ts';
import { toErrorEvent, type ErrorRow } from './usage-table.ts';
import { newestFirst } from './newest-first.ts';

export interface ErrorQuery extends UsageFilter {
  limit: number;
  /** An error event id: the page starts after it. */
  before?: string;
}

export function recentErrors(db: Db, query: ErrorQuery): { data: ErrorEvent[]; nextBefore: string | null } {
  return newestFirst<ErrorRow, ErrorEvent>(db, 'error_events', query, [], toErrorEvent);
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

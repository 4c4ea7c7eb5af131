// The filters every usage query shares, turned into a parameterised WHERE clause.

export interface UsageFilter {
  /** Inclusive, ms since the epoch. */
  fromMs?: number;
  /** Exclusive, ms since the epoch. */
  toMs?: number;
  projectId?: string;
  /** The model that served the request. */
  model?: string;
}

export interface Where {
  sql: string;
  params: Array<string | number>;
}

export function whereOf(filter: UsageFilter, extra: Where[] = []): Where {
  const parts: string[] = [];
  const params: Array<string | number> = [];
  if (filter.fromMs !== undefined) {
    parts.push('ts_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    parts.push('ts_ms < ?');
    params.push(filter.toMs);
  }
  if (filter.projectId !== undefined) {
    parts.push('project_id = ?');
    params.push(filter.projectId);
  }
  if (filter.model !== undefined) {
    parts.push('model = ?');
    params.push(filter.model);
  }
  for (const e of extra) {
    parts.push(e.sql);
    params.push(...e.params);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

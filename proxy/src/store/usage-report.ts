// Aggregates over usage records: totals (overall, by model, by project, by day) with latency percentiles, and
// the tokens each reduction layer saved. Percentiles are nearest-rank, computed in SQL with window functions.
import type { Db } from './sqlite.ts';
import { whereOf, type UsageFilter } from './usage-filter.ts';
import type { Totals } from '../usage/totals.ts';

export type { Totals } from '../usage/totals.ts';


export const EMPTY_TOTALS: Readonly<Totals> = Object.freeze({
  requests: 0, errors: 0, inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, tokensBefore: 0,
  tokensAfter: 0, costUsd: 0, baselineCostUsd: 0, savedUsd: 0, responseCacheHits: 0, avgLatencyMs: 0, p50LatencyMs: 0, p95LatencyMs: 0,
});

interface TotalsRow {
  g: string;
  requests: number;
  errors: number;
  input: number;
  cache_write: number;
  cache_read: number;
  output: number;
  before: number;
  after: number;
  cost: number;
  baseline: number;
  hits: number;
  avg_latency: number;
  p50: number;
  p95: number;
}

const usd = (n: number) => Math.round(n * 1e9) / 1e9;

function toTotals(row: TotalsRow): Totals {
  const cost = usd(row.cost);
  const baseline = usd(row.baseline);
  return {
    requests: row.requests,
    errors: row.errors,
    inputTokens: row.input,
    cacheWriteTokens: row.cache_write,
    cacheReadTokens: row.cache_read,
    outputTokens: row.output,
    tokensBefore: row.before,
    tokensAfter: row.after,
    costUsd: cost,
    baselineCostUsd: baseline,
    savedUsd: usd(baseline - cost),
    responseCacheHits: row.hits,
    avgLatencyMs: Math.round(row.avg_latency),
    p50LatencyMs: row.p50,
    p95LatencyMs: row.p95,
  };
}

/** Totals per value of `groupSql` (an SQL expression over usage_records), in descending order of requests. */
function totalsBy(db: Db, groupSql: string, filter: UsageFilter): Array<[string, Totals]> {
  const where = whereOf(filter);
  const rows = db
    .prepare(
      `WITH f AS (SELECT ${groupSql} AS g, * FROM usage_records ${where.sql}),
       ranked AS (
         SELECT g, latency_ms, ROW_NUMBER() OVER (PARTITION BY g ORDER BY latency_ms) AS rn, COUNT(*) OVER (PARTITION BY g) AS n FROM f
       ),
       pct AS (
         SELECT g,
                MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
                MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN latency_ms END) AS p95
         FROM ranked GROUP BY g
       )
       SELECT f.g AS g,
              COUNT(*) AS requests,
              SUM(CASE WHEN f.status >= 400 OR f.error_type IS NOT NULL THEN 1 ELSE 0 END) AS errors,
              SUM(f.input_tokens) AS input,
              SUM(f.cache_write_tokens) AS cache_write,
              SUM(f.cache_read_tokens) AS cache_read,
              SUM(f.output_tokens) AS output,
              SUM(COALESCE(f.tokens_before, 0)) AS before,
              SUM(COALESCE(f.tokens_after, 0)) AS after,
              SUM(f.cost_usd) AS cost,
              SUM(f.baseline_cost_usd) AS baseline,
              SUM(CASE WHEN f.cache_hit = 'response' THEN 1 ELSE 0 END) AS hits,
              AVG(f.latency_ms) AS avg_latency,
              pct.p50 AS p50,
              pct.p95 AS p95
       FROM f JOIN pct ON pct.g = f.g
       GROUP BY f.g
       ORDER BY requests DESC, f.g`,
    )
    .all(...where.params) as TotalsRow[];
  return rows.map((row) => [row.g, toTotals(row)]);
}

export function totals(db: Db, filter: UsageFilter): Totals {
  return totalsBy(db, `'all'`, filter)[0]?.[1] ?? { ...EMPTY_TOTALS };
}

export const UNKNOWN_MODEL = 'unknown';

export function totalsByModel(db: Db, filter: UsageFilter): Array<{ model: string } & Totals> {
  return totalsBy(db, `COALESCE(model, '${UNKNOWN_MODEL}')`, filter).map(([model, t]) => ({ model, ...t }));
}

export function totalsByProject(db: Db, filter: UsageFilter): Array<{ projectId: string } & Totals> {
  return totalsBy(db, 'project_id', filter).map(([projectId, t]) => ({ projectId, ...t }));
}

/** One row per UTC day and project, oldest first. */
export function totalsByDay(db: Db, filter: UsageFilter): Array<{ date: string; projectId: string } & Totals> {
  return totalsBy(db, `date(ts_ms / 1000, 'unixepoch') || ' ' || project_id`, filter)
    .map(([key, t]) => {
      const space = key.indexOf(' ');
      return { date: key.slice(0, space), projectId: key.slice(space + 1), ...t };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.projectId.localeCompare(b.projectId));
}

/** Estimated tokens saved per reduction layer, largest first. */
export function savedByLayer(db: Db, filter: UsageFilter): Array<{ layer: string; tokensSaved: number }> {
  const where = whereOf(filter);
  return db
    .prepare(
      `SELECT j.key AS layer, SUM(j.value) AS tokensSaved
       FROM usage_records, json_each(usage_records.reduction_json) AS j
       ${where.sql}
       GROUP BY j.key ORDER BY tokensSaved DESC, j.key`,
    )
    .all(...where.params) as Array<{ layer: string; tokensSaved: number }>;
}

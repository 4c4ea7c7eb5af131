// What the charts show, computed from the admin API's figures. Pure, so the arithmetic is tested without a browser.
import type { DailyRow, Totals, UsageRecord } from '../api/types.ts';
import { daysOf, type DateRange } from './dates.ts';

type TokenTotals = Pick<Totals, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>;

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Share of prompt tokens served from Anthropic's prompt cache (billed at 0.1×). */
export function promptCacheShare(t: TokenTotals): number | null {
  return ratio(t.cacheReadTokens, t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens);
}

/** Share of requests answered from the gateway's response cache, without an upstream call. */
export function responseCacheRate(t: Pick<Totals, 'responseCacheHits' | 'requests'>): number | null {
  return ratio(t.responseCacheHits, t.requests);
}

/** Share of the estimated input that file deduplication removed. */
export function dedupShare(byLayer: ReadonlyArray<{ layer: string; tokensSaved: number }>, tokensBefore: number): number | null {
  const dedup = byLayer.find((row) => row.layer === 'dedup')?.tokensSaved ?? 0;
  return ratio(dedup, tokensBefore);
}

export function tokensSaved(t: Pick<Totals, 'tokensBefore' | 'tokensAfter'>): number {
  return Math.max(0, t.tokensBefore - t.tokensAfter);
}

export function savedShare(costUsd: number, baselineCostUsd: number): number | null {
  return baselineCostUsd > 0 ? (baselineCostUsd - costUsd) / baselineCostUsd : null;
}

/** How the dashboard's savings are computed, in one line (shown under the headline figures). */
export const SAVINGS_METHOD =
  'Saved = what each request would have cost sent unchanged and uncached (its original size in Anthropic’s own token count) minus what Anthropic billed; failed requests count as neither, and cache writes never read back show as a cost.';

export interface SavingView {
  label: 'Saved' | 'Extra cost';
  /** Never negative: the label carries the sign. */
  amountUsd: number;
  tone: 'good' | 'bad' | 'neutral';
}

/** A negative saving is a cost the gateway added (cache writes never read back), and reads as one. */
export function savingView(savedUsd: number): SavingView {
  if (savedUsd < 0) return { label: 'Extra cost', amountUsd: -savedUsd, tone: 'bad' };
  return { label: 'Saved', amountUsd: savedUsd, tone: savedUsd > 0 ? 'good' : 'neutral' };
}

export function errorRate(t: Pick<Totals, 'errors' | 'requests'>): number | null {
  return ratio(t.errors, t.requests);
}

export interface CostPoint {
  date: string;
  costUsd: number;
  baselineCostUsd: number;
  savedUsd: number;
  requests: number;
}

/** Cost with and without the gateway per day, every day of the range present (zero when idle). */
export function costSeries(days: readonly DailyRow[], range: DateRange): CostPoint[] {
  const byDate = new Map<string, CostPoint>();
  for (const date of daysOf(range)) byDate.set(date, { date, costUsd: 0, baselineCostUsd: 0, savedUsd: 0, requests: 0 });
  for (const row of days) {
    const point = byDate.get(row.date);
    if (!point) continue;
    point.costUsd += row.costUsd;
    point.baselineCostUsd += row.baselineCostUsd;
    point.savedUsd += row.savedUsd;
    point.requests += row.requests;
  }
  return [...byDate.values()];
}

export type SavingsMetric = 'usd' | 'tokens';

export interface ProjectSeries {
  /** Project ids, biggest savers first: the order of the stacked series. */
  projects: string[];
  rows: Array<{ date: string } & Record<string, number | string>>;
}

/** Savings per project per day, as rows keyed by project id for a stacked chart. */
export function savingsByProject(days: readonly DailyRow[], range: DateRange, metric: SavingsMetric): ProjectSeries {
  const value = (row: DailyRow) => (metric === 'usd' ? row.savedUsd : tokensSaved(row));
  const totals = new Map<string, number>();
  for (const row of days) totals.set(row.projectId, (totals.get(row.projectId) ?? 0) + value(row));
  const projects = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const rows = daysOf(range).map((date) => {
    const entry: { date: string } & Record<string, number | string> = { date };
    for (const project of projects) entry[project] = 0;
    return entry;
  });
  const index = new Map(rows.map((row, i) => [row.date, i]));
  for (const row of days) {
    const at = index.get(row.date);
    if (at === undefined) continue;
    const entry = rows[at]!;
    entry[row.projectId] = (entry[row.projectId] as number) + value(row);
  }
  return { projects, rows };
}

/** Request-weighted average latency per day across projects. */
export function latencySeries(days: readonly DailyRow[], range: DateRange): Array<{ date: string; avgLatencyMs: number | null; p95LatencyMs: number | null }> {
  const sums = new Map<string, { weighted: number; requests: number; p95: number }>();
  for (const row of days) {
    const sum = sums.get(row.date) ?? { weighted: 0, requests: 0, p95: 0 };
    sum.weighted += row.avgLatencyMs * row.requests;
    sum.requests += row.requests;
    // The worst project's p95 bounds the day's p95 from below; exact percentiles need the raw requests.
    sum.p95 = Math.max(sum.p95, row.p95LatencyMs);
    sums.set(row.date, sum);
  }
  return daysOf(range).map((date) => {
    const sum = sums.get(date);
    return sum && sum.requests > 0
      ? { date, avgLatencyMs: Math.round(sum.weighted / sum.requests), p95LatencyMs: sum.p95 }
      : { date, avgLatencyMs: null, p95LatencyMs: null };
  });
}

/** Tokens a single request saved by reduction, and its share of what it would have sent. */
export function requestReduction(record: Pick<UsageRecord, 'tokensBefore' | 'tokensAfter'>): { saved: number; share: number | null } {
  if (record.tokensBefore === null || record.tokensAfter === null) return { saved: 0, share: null };
  const saved = Math.max(0, record.tokensBefore - record.tokensAfter);
  return { saved, share: ratio(saved, record.tokensBefore) };
}

export function layerEntries(byLayer: Record<string, number>): Array<[string, number]> {
  return Object.entries(byLayer)
    .filter(([, saved]) => saved > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export type StatusClass = 'ok' | 'client' | 'server';

export function statusClass(status: number): StatusClass {
  if (status >= 500) return 'server';
  if (status >= 400) return 'client';
  return 'ok';
}

/** The routing decision in words: which model served a request and why. */
export function routeLabel(record: Pick<UsageRecord, 'requestedModel' | 'model' | 'routeReason'>): string {
  // A request refused before routing (unknown model, bad input) names only what was asked for.
  if (record.model === null) return record.requestedModel ?? '—';
  if (record.requestedModel && record.requestedModel !== record.model) return `${record.requestedModel} → ${record.model}`;
  return record.model;
}

/** True when some project saved something on some day: otherwise a savings chart would be an empty frame. */
export function hasSavings(series: ProjectSeries): boolean {
  return series.rows.some((row) => series.projects.some((project) => (row[project] as number) > 0));
}

/** Client-side check of the Requests page's filters, so a page of results always agrees with them. */
export function matchesFilter(
  record: UsageRecord,
  filter: { project?: string; model?: string; status?: string; q?: string },
): boolean {
  if (filter.project && record.projectId !== filter.project) return false;
  if (filter.model && record.model !== filter.model && record.requestedModel !== filter.model) return false;
  if (filter.status) {
    const family = `${Math.floor(record.status / 100)}xx`;
    if (filter.status !== family && filter.status !== String(record.status)) return false;
  }
  if (filter.q) {
    const needle = filter.q.toLowerCase();
    const haystack = [record.id, record.projectId, record.model, record.requestedModel, record.routeReason, record.errorType, record.client]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

// The rows of a usage export: one per request or one per day and project, as CSV cells or JSON objects.
import type { Totals } from './totals.ts';
import type { UsageRecord } from './record.ts';
import type { Cell } from './csv.ts';

export const REQUEST_COLUMNS = [
  'id', 'ts', 'projectId', 'projectName', 'keyId', 'client', 'endpoint', 'requestedModel', 'model', 'routeReason', 'stream',
  'status', 'errorType', 'latencyMs', 'ttftMs', 'tokensBefore', 'tokensAfter', 'inputTokens', 'cacheWriteTokens',
  'cacheReadTokens', 'outputTokens', 'costUsd', 'baselineCostUsd', 'savedUsd', 'cacheHit', 'batch',
] as const;

export const DAY_COLUMNS = [
  'date', 'projectId', 'projectName', 'requests', 'errors', 'inputTokens', 'cacheWriteTokens', 'cacheReadTokens', 'outputTokens',
  'tokensBefore', 'tokensAfter', 'costUsd', 'baselineCostUsd', 'savedUsd', 'responseCacheHits', 'avgLatencyMs', 'p50LatencyMs', 'p95LatencyMs',
] as const;

const usd = (n: number) => Math.round(n * 1e9) / 1e9;

/** One column per reduction layer seen in the export, named savedTokens.<layer>. */
export function requestHeader(layers: readonly string[]): string[] {
  return [...REQUEST_COLUMNS, ...layers.map((l) => `savedTokens.${l}`)];
}

export function requestCells(r: UsageRecord, projectName: string, layers: readonly string[]): Cell[] {
  const row: Record<(typeof REQUEST_COLUMNS)[number], Cell> = {
    ...r,
    projectName,
    savedUsd: usd(r.baselineCostUsd - r.costUsd),
  };
  return [...REQUEST_COLUMNS.map((c) => row[c]), ...layers.map((l) => r.reductionByLayer[l] ?? 0)];
}

export type DayRow = { date: string; projectId: string } & Totals;

export function dayCells(day: DayRow, projectName: string): Cell[] {
  const row: Record<(typeof DAY_COLUMNS)[number], Cell> = { ...day, projectName };
  return DAY_COLUMNS.map((c) => row[c]);
}

// Rows of usage_records and error_events: inserting batches (idempotently) and turning rows back into records.
import type { ErrorEvent } from '../reliability/error-events.ts';
import { thinkingDetail, type UsageRecord } from '../usage/record.ts';
import type { ThinkingDetail } from '../usage/usage-record.ts';
import type { Db } from './sqlite.ts';

export interface UsageRow {
  seq: number;
  id: string;
  ts_ms: number;
  project_id: string;
  key_id: string | null;
  client: string | null;
  endpoint: string;
  requested_model: string | null;
  model: string | null;
  route_reason: string | null;
  stream: number;
  status: number;
  error_type: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  tokens_before: number | null;
  tokens_after: number | null;
  reduction_json: string;
  input_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  output_tokens: number;
  cost_usd: number;
  baseline_cost_usd: number;
  cache_hit: string | null;
  batch: number;
  thinking_json: string | null;
}

export interface ErrorRow {
  seq: number;
  id: string;
  ts_ms: number;
  request_id: string;
  project_id: string;
  model: string | null;
  type: string;
  status: number;
  attempt: number;
  message: string;
}

export function toUsageRecord(row: UsageRow): UsageRecord {
  return {
    id: row.id,
    ts: new Date(row.ts_ms).toISOString(),
    projectId: row.project_id,
    keyId: row.key_id,
    client: row.client,
    endpoint: row.endpoint as UsageRecord['endpoint'],
    requestedModel: row.requested_model,
    model: row.model,
    routeReason: row.route_reason,
    stream: row.stream === 1,
    status: row.status,
    errorType: row.error_type,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    tokensBefore: row.tokens_before,
    tokensAfter: row.tokens_after,
    reductionByLayer: JSON.parse(row.reduction_json) as Record<string, number>,
    inputTokens: row.input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    cacheReadTokens: row.cache_read_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    baselineCostUsd: row.baseline_cost_usd,
    cacheHit: row.cache_hit === 'response' ? 'response' : null,
    batch: row.batch === 1,
    thinking: thinkingDetail(row.thinking_json ? (JSON.parse(row.thinking_json) as Partial<ThinkingDetail>) : null),
  };
}

export function toErrorEvent(row: ErrorRow): ErrorEvent {
  return {
    id: row.id,
    ts: new Date(row.ts_ms).toISOString(),
    requestId: row.request_id,
    projectId: row.project_id,
    model: row.model,
    type: row.type,
    status: row.status,
    attempt: row.attempt,
    message: row.message,
  };
}

export interface BatchInserter {
  /** Inserts in one transaction; entries already stored (same key or event id) are skipped. */
  insert(usage: ReadonlyArray<{ key: string; record: UsageRecord }>, errors: readonly ErrorEvent[]): void;
}

export function createBatchInserter(db: Db): BatchInserter {
  const usage = db.prepare(`
    INSERT OR IGNORE INTO usage_records (
      record_key, id, ts_ms, project_id, key_id, client, endpoint, requested_model, model, route_reason, stream,
      status, error_type, latency_ms, ttft_ms, tokens_before, tokens_after, reduction_json, input_tokens,
      cache_write_tokens, cache_read_tokens, output_tokens, cost_usd, baseline_cost_usd, cache_hit, batch, thinking_json
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const error = db.prepare(`
    INSERT OR IGNORE INTO error_events (id, ts_ms, request_id, project_id, model, type, status, attempt, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const run = db.transaction((records: ReadonlyArray<{ key: string; record: UsageRecord }>, events: readonly ErrorEvent[]) => {
    for (const { key, record: r } of records) {
      usage.run(
        key, r.id, Date.parse(r.ts), r.projectId, r.keyId, r.client, r.endpoint, r.requestedModel, r.model, r.routeReason,
        r.stream ? 1 : 0, r.status, r.errorType, r.latencyMs, r.ttftMs, r.tokensBefore, r.tokensAfter,
        JSON.stringify(r.reductionByLayer), r.inputTokens, r.cacheWriteTokens, r.cacheReadTokens, r.outputTokens,
        r.costUsd, r.baselineCostUsd, r.cacheHit, r.batch ? 1 : 0, r.thinking ? JSON.stringify(r.thinking) : null,
      );
    }
    for (const e of events) {
      error.run(e.id, Date.parse(e.ts), e.requestId, e.projectId, e.model, e.type, e.status, e.attempt, e.message);
    }
  });
  return { insert: (records, events) => run(records, events) };
}

// Aggregated usage over any slice of requests, as the admin API reports it. Import-free, shared with the dashboard.

export interface Totals {
  requests: number;
  errors: number;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  tokensBefore: number;
  tokensAfter: number;
  costUsd: number;
  baselineCostUsd: number;
  savedUsd: number;
  responseCacheHits: number;
  avgLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

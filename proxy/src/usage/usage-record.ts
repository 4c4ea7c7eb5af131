// One request as stored, reported and exported: the shape the admin API, the dashboard and the reports share.
// Import-free, so the dashboard can use it as is.

export type UsageEndpoint = 'chat' | 'messages' | 'count_tokens' | 'batch' | 'responses';

/** A thinking block the upstream removed (or let through after a failed check), from `input_transformations`. */
export interface ThinkingDrop {
  /** 'thinking_dropped' or 'thinking_mismatch_allowed'. */
  type: string;
  /** e.g. 'prefix_binding_mismatch', 'model_binding_mismatch'. */
  reason: string;
  /** Where the block was in the request, e.g. 'messages[3].content[0]'. */
  path: string | null;
}

/** What happened to the thinking blocks of a request's conversation. */
export interface ThinkingDetail {
  /** Thinking blocks sent back upstream (kept). */
  sent: number;
  /** Removed by the gateway because the conversation before them changed. */
  removed: number;
  /** Sent although the gateway could not check what they were bound to. */
  unchecked: number;
  /** Sent with `prefix_mismatch_behavior: "drop_block"`, so Anthropic drops a stale block instead of refusing. */
  dropBlock: boolean;
  /** Manual thinking was switched off for this request (its last tool turn had no block to send back). */
  switchedOff: boolean;
  /** What Anthropic itself dropped or let through. */
  upstream: ThinkingDrop[];
}

export interface UsageRecord {
  /** The request id (X-Request-Id). */
  id: string;
  /** ISO time the request started (UTC). */
  ts: string;
  /** 'default' for the gateway key. */
  projectId: string;
  /** Non-reversible key id ('key_…' for the gateway key, 'pk_…' for project keys). */
  keyId: string | null;
  /** User agent. */
  client: string | null;
  endpoint: UsageEndpoint;
  requestedModel: string | null;
  /** Upstream model that served it. */
  model: string | null;
  /** e.g. 'alias', 'smart:opus score 0.72 (architecture, 14 files)', 'fallback:opus overloaded'. */
  routeReason: string | null;
  stream: boolean;
  /** HTTP status sent to the client. */
  status: number;
  errorType: string | null;
  latencyMs: number;
  /** Time to first token (streams) / first byte, from the upstream call. */
  ttftMs: number | null;
  /** Estimated input tokens before reduction. */
  tokensBefore: number | null;
  /** Estimated input tokens after reduction. */
  tokensAfter: number | null;
  /** Estimated tokens saved per layer, e.g. { strip: 1200, dedup: 300, prune: 5000 }. */
  reductionByLayer: Record<string, number>;
  /** Upstream usage: uncached input. */
  inputTokens: number;
  /** Upstream cache_creation_input_tokens. */
  cacheWriteTokens: number;
  /** Upstream cache_read_input_tokens. */
  cacheReadTokens: number;
  outputTokens: number;
  /** From the price table and the upstream usage. */
  costUsd: number;
  /**
   * What the same request would have cost without the gateway: tokensBefore, scaled by Anthropic's real input
   * count over the estimate for what was sent, as uncached input at the same model's price, with the same
   * output. Equal to costUsd for failed requests (they save nothing) and requests the gateway did not reduce.
   */
  baselineCostUsd: number;
  /** Response-cache hit (no upstream call). */
  cacheHit: 'response' | null;
  /** Billed at the batch discount. */
  batch: boolean;
  /** Thinking continuity, when the request carried or asked for thinking; null otherwise. */
  thinking: ThinkingDetail | null;
}

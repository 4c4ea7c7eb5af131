// The usage record: one per API request, built when its response ends from what the request learned on the way
// (the RequestRecord), who called, and the price table. Stored, shown on the dashboard, exported in reports.
import type { RequestRecord } from '../http/request-context.ts';
import { baselineCostUsd, costUsd } from './cost.ts';
import { priceFor, type Price } from './prices.ts';

export type UsageEndpoint = 'chat' | 'messages' | 'count_tokens' | 'batch';

export const USAGE_ENDPOINTS: readonly UsageEndpoint[] = ['chat', 'messages', 'count_tokens', 'batch'];

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
  /** What the same request would have cost without the gateway (tokensBefore as uncached input at the same model's price, same output). */
  baselineCostUsd: number;
  /** Response-cache hit (no upstream call). */
  cacheHit: 'response' | null;
  /** Billed at the batch discount. */
  batch: boolean;
}

export interface UsageContext {
  id: string;
  endpoint: UsageEndpoint;
  record: RequestRecord;
  projectId: string;
  keyId: string | null;
  client: string | null;
  status: number;
  endedAt: number;
  prices: ReadonlyMap<string, Price>;
}

const whole = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

function layers(byLayer: Partial<Record<string, number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [layer, saved] of Object.entries(byLayer ?? {})) {
    if (typeof saved === 'number' && Number.isFinite(saved) && saved !== 0) out[layer] = Math.round(saved);
  }
  return out;
}

export function buildUsageRecord(c: UsageContext): UsageRecord {
  const r = c.record;
  const u = r.usage;
  const cacheRead = whole(u?.cacheRead);
  const cacheWrite = whole(u?.cacheWrite);
  const cacheWrite1h = Math.min(whole(u?.cacheWrite1h), cacheWrite);
  // The record's prompt count includes the cache reads and writes (OpenAI's prompt_tokens).
  const input = Math.max(0, whole(u?.prompt) - cacheRead - cacheWrite);
  const output = whole(u?.completion);
  const cacheHit = r.cache === 'HIT' ? 'response' : null;
  const batch = r.batch === true;
  const price = r.model ? priceFor(r.model, c.prices) : undefined;

  const cost = cacheHit
    ? 0
    : costUsd({ inputTokens: input, cacheWrite5mTokens: cacheWrite - cacheWrite1h, cacheWrite1hTokens: cacheWrite1h, cacheReadTokens: cacheRead, outputTokens: output }, price, { batch });
  // Without a reduction report the gateway changed nothing that it could claim a saving for.
  const baseline = r.reduction ? baselineCostUsd(whole(r.reduction.tokensBefore), output, price, { batch }) : cost;
  const errorType = r.errorType ?? (r.clientAborted ? 'client_aborted' : c.status >= 400 ? `http_${c.status}` : null);

  return {
    id: c.id,
    ts: new Date(r.startedAt).toISOString(),
    projectId: c.projectId,
    keyId: c.keyId,
    client: c.client,
    endpoint: c.endpoint,
    requestedModel: r.requestedModel ?? null,
    model: r.model ?? null,
    routeReason: r.routeReason ?? r.modelSource ?? null,
    stream: r.stream === true,
    status: c.status,
    errorType,
    latencyMs: Math.max(0, Math.round(c.endedAt - r.startedAt)),
    ttftMs: typeof r.firstByteMs === 'number' ? Math.max(0, Math.round(r.firstByteMs)) : null,
    tokensBefore: r.reduction ? whole(r.reduction.tokensBefore) : null,
    tokensAfter: r.reduction ? whole(r.reduction.tokensAfter) : null,
    reductionByLayer: layers(r.reduction?.byLayer),
    inputTokens: input,
    cacheWriteTokens: cacheWrite,
    cacheReadTokens: cacheRead,
    outputTokens: output,
    costUsd: cost,
    baselineCostUsd: baseline,
    cacheHit,
    batch,
  };
}

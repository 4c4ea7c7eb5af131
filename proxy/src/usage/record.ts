// The usage record: one per API request, built when its response ends from what the request learned on the way
// (the RequestRecord), who called, and the price table. Stored, shown on the dashboard, exported in reports.
import type { RequestRecord } from './request-record.ts';
import { baselineCostUsd, calibratedTokensBefore, costUsd } from './cost.ts';
import { priceFor, type Price } from './prices.ts';
import type { ThinkingDetail, UsageEndpoint, UsageRecord } from './usage-record.ts';

export type { UsageEndpoint, UsageRecord } from './usage-record.ts';

export const USAGE_ENDPOINTS: readonly UsageEndpoint[] = ['chat', 'messages', 'count_tokens', 'batch', 'responses'];

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
  /** The serving upstream's price multiplier (1 unless its config says otherwise). */
  priceMultiplier?: number;
}

const whole = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

function layers(byLayer: Partial<Record<string, number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [layer, saved] of Object.entries(byLayer ?? {})) {
    if (typeof saved === 'number' && Number.isFinite(saved) && saved !== 0) out[layer] = Math.round(saved);
  }
  return out;
}

const scaled = (usd: number, multiplier: number) => (multiplier === 1 ? usd : Math.round(usd * multiplier * 1e9) / 1e9);

export function buildUsageRecord(c: UsageContext): UsageRecord {
  const r = c.record;
  // A request that failed saved nothing: its reduction report is kept out of the record.
  const reduction = c.status >= 400 || r.errorType !== undefined ? undefined : r.reduction;
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

  const multiplier = c.priceMultiplier ?? 1;
  const cost = cacheHit
    ? 0
    : scaled(costUsd({ inputTokens: input, cacheWrite5mTokens: cacheWrite - cacheWrite1h, cacheWrite1hTokens: cacheWrite1h, cacheReadTokens: cacheRead, outputTokens: output }, price, { batch }), multiplier);
  const errorType = r.errorType ?? (r.clientAborted ? 'client_aborted' : c.status >= 400 ? `http_${c.status}` : null);
  // A failed or abandoned request saved nothing, whatever it was billed; without a reduction report the gateway
  // changed nothing that it could claim a saving for. Otherwise the baseline is the original request, uncached,
  // in Anthropic's own token count for it (see calibratedTokensBefore).
  const baseline =
    errorType !== null || !r.reduction
      ? cost
      : scaled(baselineCostUsd(calibratedTokensBefore(whole(r.reduction.tokensBefore), whole(r.reduction.tokensAfter), input + cacheRead + cacheWrite), output, price, { batch }), multiplier);

  return {
    id: c.id,
    ts: new Date(r.startedAt).toISOString(),
    projectId: c.projectId,
    keyId: c.keyId,
    client: c.client,
    endpoint: c.endpoint,
    // What the client asked for is its own text: kept, but bounded (a 100 KB "model" must not bloat every report).
    requestedModel: r.requestedModel === undefined ? null : r.requestedModel.slice(0, 256),
    model: r.model ?? null,
    routeReason: r.routeReason ?? r.modelSource ?? null,
    stream: r.stream === true,
    status: c.status,
    errorType,
    latencyMs: Math.max(0, Math.round(c.endedAt - r.startedAt)),
    ttftMs: typeof r.firstByteMs === 'number' ? Math.max(0, Math.round(r.firstByteMs)) : null,
    tokensBefore: reduction ? whole(reduction.tokensBefore) : null,
    tokensAfter: reduction ? whole(reduction.tokensAfter) : null,
    reductionByLayer: layers(reduction?.byLayer),
    inputTokens: input,
    cacheWriteTokens: cacheWrite,
    cacheReadTokens: cacheRead,
    outputTokens: output,
    costUsd: cost,
    baselineCostUsd: baseline,
    cacheHit,
    batch,
    thinking: thinkingDetail(r.thinking),
  };
}

/** The record's thinking detail with whole counts, or null when the request had nothing to say about thinking. */
export function thinkingDetail(t: Partial<ThinkingDetail> | undefined | null): ThinkingDetail | null {
  if (!t) return null;
  return {
    sent: whole(t.sent),
    removed: whole(t.removed),
    unchecked: whole(t.unchecked),
    dropBlock: t.dropBlock === true,
    switchedOff: t.switchedOff === true,
    upstream: Array.isArray(t.upstream) ? t.upstream.map((d) => ({ type: String(d.type), reason: String(d.reason), path: typeof d.path === 'string' ? d.path : null })) : [],
  };
}

// What one request learned on its way through the gateway; written once as the request's log line and, later,
// as its usage record.
import type { ModelSource } from '../routing/resolve-model.ts';
import type { ThinkingDetail } from './usage-record.ts';

export interface RequestRecord {
  startedAt: number;
  keyId?: string;
  endpoint?: 'chat' | 'messages' | 'count_tokens' | 'responses' | 'models' | 'health' | 'admin';
  requestedModel?: string;
  model?: string;
  modelSource?: ModelSource;
  /** Why this model served the request, e.g. 'alias', 'smart:opus score 0.72 (architecture, 14 files)'. */
  routeReason?: string;
  /** The project whose limits and routing applied ('default' for the gateway key). */
  projectId?: string;
  /** The model given up on when a fallback answered. */
  fallbackFrom?: string;
  /** The configured upstream that answered (several upstreams); undefined with the single Anthropic upstream. */
  upstream?: string;
  /** Upstream attempts made (retries and fallbacks included). */
  attempts?: number;
  stream?: boolean;
  /** Top-level fields the client sent, to see at a glance what each IDE uses. */
  fields?: string[];
  tools?: number;
  messages?: number;
  roles?: string;
  bodyBytes?: number;
  adjustments?: string[];
  /** Corrections made at the edge before translation (an image's media type read from its bytes). */
  edgeNotes?: string[];
  cache?: 'HIT' | 'MISS' | 'BYPASS';
  upstreamStatus?: number;
  firstByteMs?: number;
  finishReason?: string | null;
  /** Upstream usage; `prompt` includes the cache reads and writes, `cacheWrite1h` is the part of `cacheWrite` kept for an hour. */
  usage?: { prompt: number; completion: number; cacheRead: number; cacheWrite: number; cacheWrite1h?: number };
  /** What token reduction did: estimated input tokens before and after, and tokens saved per layer. */
  reduction?: { tokensBefore: number; tokensAfter: number; byLayer: Partial<Record<string, number>> };
  /** Billed through Message Batches (at the batch discount). */
  batch?: boolean;
  /** Thinking blocks kept, removed by the gateway (stale prefix), sent unchecked, and dropped by the upstream. */
  thinking?: ThinkingDetail;
  errorType?: string;
  clientAborted?: boolean;
}

/** "system:1 user:3 assistant:2 tool:2": the shape of a conversation without its content. */
export function summarizeRoles(messages: ReadonlyArray<{ role?: unknown }>): string {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const role = typeof message?.role === 'string' ? message.role : '?';
    counts.set(role, (counts.get(role) ?? 0) + 1);
  }
  return [...counts].map(([role, n]) => `${role}:${n}`).join(' ');
}

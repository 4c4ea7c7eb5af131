// What one request learned on its way through the gateway; written once as the request's log line and, later,
// as its usage record.
import type { ModelSource } from '../routing/resolve-model.ts';

export interface RequestRecord {
  startedAt: number;
  keyId?: string;
  endpoint?: 'chat' | 'messages' | 'count_tokens' | 'models' | 'health' | 'admin';
  requestedModel?: string;
  model?: string;
  modelSource?: ModelSource;
  stream?: boolean;
  /** Top-level fields the client sent, to see at a glance what each IDE uses. */
  fields?: string[];
  tools?: number;
  messages?: number;
  roles?: string;
  bodyBytes?: number;
  adjustments?: string[];
  cache?: 'HIT' | 'MISS' | 'BYPASS';
  upstreamStatus?: number;
  firstByteMs?: number;
  finishReason?: string | null;
  usage?: { prompt: number; completion: number; cacheRead: number; cacheWrite: number };
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

// The response cache's key and its rule for what may be cached at all.
//
// Key: SHA-256 of the translated request in canonical form (object keys sorted at every level), without
// the fields that cannot change the answer: `stream` (a streamed and a non-streamed call share an entry,
// replayed either way) and cache_control marks (they only steer the prompt cache). The system prompt, tools
// and messages enter as the request's prefix digest (translate/thinking-binding.ts: the same canonical chain
// the thinking binding uses, one digest per message, remembered per message object), so an agent's turn
// digests only its new messages rather than its whole history. Scoping by project or key is the storage's
// job: it prefixes the key.
//
// Rule: a cached answer is a repeat of an earlier one, so only requests whose answer the client expects to
// repeat are cached:
// - never when the client opts out (`Cache-Control: no-cache` / `no-store`, or the project's opt-out);
// - always when it opts in explicitly (a header such as `X-Cache: force`), whatever its sampling settings;
// - with tools (agent loops): yes. An identical agent request is a retry of the same step, and replaying
//   the same tool calls is what the agent would have got from a deterministic model;
// - without tools: only when the client asked for deterministic output, `temperature: 0` (or `top_k: 1`).
//   A chat request at the default or a higher temperature asks for a fresh answer each time (that is
//   what a "regenerate" button sends), so it goes upstream.
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../translate/openai-types.ts';
import { bindingOf } from '../translate/thinking-binding.ts';
import { sha256Hex } from './hash.ts';

const IGNORED_KEYS = new Set(['stream', 'cache_control']);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => !IGNORED_KEYS.has(key) && (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

const PREFIX_KEYS = new Set(['system', 'tools', 'messages']);

export function responseCacheKey(params: MessageCreateParams): string {
  const rest = Object.fromEntries(Object.entries(params).filter(([key]) => !PREFIX_KEYS.has(key)));
  return sha256Hex(`${bindingOf(params)}\u0000${canonical(rest)}`);
}

export interface CacheOptIn {
  /** The client asked for the cache explicitly. */
  optIn?: boolean;
  /** The client or its project refused the cache. */
  optOut?: boolean;
}

export function isCacheable(chatRequest: ChatRequest, params: MessageCreateParams, opts: CacheOptIn = {}): boolean {
  if (opts.optOut) return false;
  if (opts.optIn) return true;
  if ((chatRequest.n ?? 1) > 1) return false;
  const hasTools = (params.tools?.length ?? 0) > 0;
  if (hasTools) return true;
  return chatRequest.temperature === 0 || chatRequest.top_k === 1;
}

/** Reads the opt-in/opt-out headers named above (lower-case header names). */
export function cacheOptFromHeaders(headers: Record<string, string | string[] | undefined>): CacheOptIn {
  const value = (name: string) => {
    const v = headers[name];
    return (Array.isArray(v) ? v.join(',') : v ?? '').toLowerCase();
  };
  const control = value('cache-control');
  const xcache = value('x-cache');
  return {
    optOut: /\bno-(cache|store)\b/.test(control) || xcache === 'bypass',
    optIn: xcache === 'force',
  };
}

// Anthropic's usage object → the request record's usage, in one place for every path (chat, streamed chat,
// pass-through, batches). `prompt` counts cache reads and writes too, as OpenAI's prompt_tokens does.
import { toOpenAIUsage, type AnthropicUsageLike } from '../translate/usage.ts';
import { oneHourCacheWrites } from './cache-ttl.ts';
import type { RequestRecord } from './request-record.ts';

export type RecordedUsage = NonNullable<RequestRecord['usage']>;

export function recordUsage(usage: AnthropicUsageLike): RecordedUsage {
  const u = toOpenAIUsage(usage);
  const recorded: RecordedUsage = {
    prompt: u.prompt_tokens,
    completion: u.completion_tokens,
    cacheRead: u.cache_read_input_tokens,
    cacheWrite: u.cache_creation_input_tokens,
  };
  const oneHour = oneHourCacheWrites(usage);
  if (oneHour !== undefined) recorded.cacheWrite1h = oneHour;
  return recorded;
}

/** The same, for a value that may not be a usage object at all (a pass-through body Anthropic wrote). */
export function recordUsageOf(value: unknown): RecordedUsage | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? recordUsage(value as AnthropicUsageLike) : undefined;
}

// Anthropic usage → OpenAI usage. Anthropic counts cached prompt tokens apart from `input_tokens`;
// OpenAI clients expect them inside `prompt_tokens`, with the cache reads repeated in `cached_tokens`.
import type { MessageDeltaUsage, Usage } from '@anthropic-ai/sdk/resources/messages';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
  /** Anthropic's own cache counters, for clients that know them. */
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Anything shaped like Anthropic's `Usage` or `MessageDeltaUsage`; every field may be missing or null. */
export type AnthropicUsageLike = Partial<Usage> | Partial<MessageDeltaUsage>;

export function toOpenAIUsage(u: AnthropicUsageLike): OpenAIUsage {
  const input = count(u.input_tokens);
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheCreation = count(u.cache_creation_input_tokens);
  const output = count(u.output_tokens);
  const prompt = input + cacheRead + cacheCreation;
  const thinking = u.output_tokens_details?.thinking_tokens;
  // Two literals rather than a late insertion, so the wire keeps OpenAI's key order.
  if (typeof thinking === 'number') {
    return {
      prompt_tokens: prompt,
      completion_tokens: output,
      total_tokens: prompt + output,
      prompt_tokens_details: { cached_tokens: cacheRead },
      completion_tokens_details: { reasoning_tokens: count(thinking) },
      cache_creation_input_tokens: cacheCreation,
      cache_read_input_tokens: cacheRead,
    };
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cacheRead },
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
  };
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

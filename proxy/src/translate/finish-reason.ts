// Anthropic stop_reason → OpenAI finish_reason.
import type { StopReason } from '@anthropic-ai/sdk/resources/messages';

/** `function_call` only answers legacy `functions` requests (legacy-functions.ts). */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

const FINISH_REASONS: Record<StopReason, OpenAIFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // A paused server-tool turn is a complete response from the client's point of view.
  pause_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
};

export function toFinishReason(stop: StopReason | null): OpenAIFinishReason {
  if (stop === null) return 'stop';
  // Unknown future reasons end the turn normally rather than breaking the client.
  return Object.hasOwn(FINISH_REASONS, stop) ? FINISH_REASONS[stop] : 'stop';
}

// Thinking blocks must travel back to Anthropic unchanged on the next tool turn, but OpenAI clients drop them.
// The gateway keeps them, keyed by the tool call ids of the assistant turn that produced them.
import type { RedactedThinkingBlockParam, ThinkingBlockParam } from '@anthropic-ai/sdk/resources/messages';

export type KeptThinkingBlock = ThinkingBlockParam | RedactedThinkingBlockParam;

/** What one assistant turn leaves behind for the next request: its thinking, under each of its tool call ids. */
export interface ThinkingCarry {
  toolCallIds: string[];
  blocks: KeptThinkingBlock[];
}

/** Looks up the thinking blocks an earlier assistant turn produced together with this tool call. */
export type ThinkingLookup = (toolCallId: string) => KeptThinkingBlock[] | undefined;

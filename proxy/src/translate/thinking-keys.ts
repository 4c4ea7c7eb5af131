// What a Chat Completions request could need from the thinking store: the ids of its assistant tool calls
// (a turn's thinking is kept under them) and the thinking blocks the client itself sent back.
import type { ChatMessage } from './openai-types.ts';
import type { KeptThinkingBlock } from './thinking.ts';
import { isThinkingBlock } from './thinking-binding.ts';

export interface ThinkingKeys {
  toolCallIds: string[];
  blocks: KeptThinkingBlock[];
}

export function thinkingKeysOf(messages: readonly ChatMessage[]): ThinkingKeys {
  const toolCallIds: string[] = [];
  const blocks: KeptThinkingBlock[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) if (typeof call?.id === 'string') toolCallIds.push(call.id);
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as unknown[]) {
      if (isThinkingBlock(part)) blocks.push(part);
      const id = (part as { type?: unknown; id?: unknown }).type === 'tool_use' ? (part as { id?: unknown }).id : undefined;
      if (typeof id === 'string') toolCallIds.push(id);
    }
  }
  return { toolCallIds, blocks };
}

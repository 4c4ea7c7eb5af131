// An assistant message's content as blocks that can be sent back upstream in the next round (thinking with its
// signature, tool calls with their parsed input): from a whole message, or from a streamed one's fold.
import type { ContentBlock, ContentBlockParam, Message } from '@anthropic-ai/sdk/resources/messages';
import type { MessageSnapshot } from '../translate/message-fold.ts';

/** A non-streamed message's content as blocks that can be sent back upstream. */
export function paramBlocks(content: Message['content']): ContentBlockParam[] {
  return content.map((block): ContentBlockParam => {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: block.text };
      case 'thinking':
        return { type: 'thinking', thinking: block.thinking, signature: block.signature };
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: block.data };
      case 'tool_use':
        return { type: 'tool_use', id: block.id, name: block.name, input: block.input as Record<string, unknown> };
      default:
        return block as unknown as ContentBlockParam;
    }
  });
}

/** A streamed round's finished blocks (those whose content_block_stop arrived), in order. */
export function toParams(snapshot: MessageSnapshot): ContentBlockParam[] {
  const finished = snapshot.blocks.filter((block, index): block is ContentBlock => block !== undefined && snapshot.closed[index] === true);
  return paramBlocks(finished);
}

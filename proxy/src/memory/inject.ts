// Places a conversation's memory block at the very start of its first user message. Tools and system stay
// untouched, so their cached prefix is shared with every other conversation of the project; the block itself
// is fixed for the conversation, so everything after it keeps hitting the cache turn after turn. Pure.
import type { ContentBlockParam, MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';

export function injectMemoryBlock<P extends Pick<MessageCreateParams, 'messages'>>(params: P, block: string): P {
  if (block === '') return params;
  const messages = params.messages;
  const first = messages[0];
  const memory: ContentBlockParam = { type: 'text', text: block };
  let head: MessageParam[];
  if (first && first.role === 'user') {
    const content: ContentBlockParam[] = typeof first.content === 'string' ? [{ type: 'text', text: first.content }] : [...first.content];
    // Tool results must lead a user turn; a conversation never starts with one, but stay valid if it does.
    const at = content.findIndex((b) => b.type !== 'tool_result');
    content.splice(at < 0 ? content.length : at, 0, memory);
    head = [{ ...first, content }];
  } else {
    head = [{ role: 'user', content: [memory] }, ...(first ? [first] : [])];
  }
  return { ...params, messages: [...head, ...messages.slice(1)] };
}

// System and developer messages.
//
// The leading run (every system/developer message before the first user, assistant or tool message) becomes
// Anthropic's top-level `system`, one text block per string or text part, so block boundaries and any
// cache_control survive: they decide where a prompt-cache breakpoint can go.
//
// A system/developer message later in the conversation stays where it was, as text in that position's user
// turn, wrapped in <system_message> tags so the model can tell it from what the user typed. Moving it into the
// top-level `system` would rewrite the start of the prompt the moment it appears, invalidating the cached
// prefix of the whole conversation, and would lose when the instruction was given. (Some newer models accept
// `role: "system"` inside `messages`, under placement rules not documented for every model, so it is not used.)
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { ChatMessage } from './openai-types.ts';
import { partsOf, textBlock } from './content-parts.ts';

export function isSystemRole(role: string): boolean {
  return role === 'system' || role === 'developer';
}

export function leadingSystemCount(messages: readonly ChatMessage[]): number {
  let count = 0;
  while (count < messages.length && isSystemRole(messages[count]!.role)) count++;
  return count;
}

/** The top-level system blocks of the leading system/developer messages. */
export function systemBlocks(messages: readonly ChatMessage[], count: number): TextBlockParam[] {
  const blocks: TextBlockParam[] = [];
  for (let i = 0; i < count; i++) {
    const message = messages[i]!;
    const texts = systemTexts(message, `messages[${i}].content`);
    texts.forEach((t, j) => {
      // A message-level breakpoint belongs on the message's last block.
      const cache = j === texts.length - 1 && t.cache === undefined ? message.cache_control : t.cache;
      blocks.push(...textBlock(t.text, cache));
    });
  }
  return blocks;
}

/** A system/developer message found after the conversation started, as text for its user turn. */
export function midConversationSystem(message: ChatMessage, path: string): TextBlockParam[] {
  const text = systemTexts(message, path)
    .map((t) => t.text)
    .filter((t) => t.trim() !== '')
    .join('\n\n');
  if (text === '') return [];
  return textBlock(`<system_message>\n${text}\n</system_message>`, message.cache_control);
}

function systemTexts(message: ChatMessage, path: string): Array<{ text: string; cache?: unknown }> {
  return partsOf(message.content, path).map(({ part, path: partPath }) => {
    if (part.type !== 'text') throw invalidRequest(`${partPath}: system messages may only contain text`, `${partPath}.type`);
    return { text: part.text ?? '', cache: part.cache_control };
  });
}

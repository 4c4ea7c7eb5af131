// System and developer messages.
//
// The leading run (every system/developer message before the first user, assistant or tool message) becomes
// Anthropic's top-level `system`, one text block per string or text part, so block boundaries and any
// cache_control survive: they decide where a prompt-cache breakpoint can go.
//
// A system/developer message later in the conversation stays where it was. Moving it into the top-level
// `system` would rewrite the start of the prompt the moment it appears, invalidating the cached prefix of the
// whole conversation (and, on models with preserved thinking, every kept thinking block), and would lose when
// the instruction was given. On models that accept it (Opus 4.8 and later) it goes as a `role: "system"`
// message right after a user turn; elsewhere as text in that position's user turn, wrapped in
// <system_message> tags so the model can tell it from what the user typed.
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

/** A late system/developer message as the text blocks of a `role: "system"` message. */
export function systemMessageBlocks(message: ChatMessage, path: string): TextBlockParam[] {
  const texts = systemTexts(message, path).filter((t) => t.text.trim() !== '');
  return texts.flatMap((t, j) => textBlock(t.text, j === texts.length - 1 && t.cache === undefined ? message.cache_control : t.cache));
}

function systemTexts(message: ChatMessage, path: string): Array<{ text: string; cache?: unknown }> {
  return partsOf(message.content, path).map(({ part, path: partPath }) => {
    if (part.type !== 'text') throw invalidRequest(`${partPath}: system messages may only contain text`, `${partPath}.type`);
    return { text: part.text ?? '', cache: part.cache_control };
  });
}

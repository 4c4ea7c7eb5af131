// The texts of a chat request that memory reads (its first and latest user messages), and the key pins had before
// every conversation had one shared id (translate/conversation-id.ts): the hash of the whole system prompt and
// first user message, still read so that pins written then are found. Pure.
import { sha256Hex } from '../reduce/hash.ts';
import type { ChatMessage, ChatRequest } from '../translate/openai-types.ts';

const SYSTEM_ROLES = new Set(['system', 'developer']);

/** The pin key of earlier versions (see above). */
export function pinKeyOfEarlierVersions(chat: Pick<ChatRequest, 'messages'>): string {
  const system: unknown[] = [];
  let first: ChatMessage | undefined;
  for (const message of chat.messages) {
    if (SYSTEM_ROLES.has(message.role)) {
      if (!first) system.push(message.content ?? null);
      continue;
    }
    if (message.role === 'user') {
      first = message;
      break;
    }
  }
  return sha256Hex(JSON.stringify({ system, first: first?.content ?? null }));
}

/** The text of the first user message (what a new conversation is about). */
export function firstUserText(chat: Pick<ChatRequest, 'messages'>): string {
  const first = chat.messages.find((m) => m.role === 'user');
  return first ? messageText(first) : '';
}

/** The text of the newest user message that carries text of the user's own (not a tool result). */
export function latestUserText(chat: Pick<ChatRequest, 'messages'>): string {
  const last = chat.messages[chat.messages.length - 1];
  if (!last || last.role !== 'user') return '';
  return messageText(last);
}

/** Whether the model already answered in this conversation. */
export function hasAssistantTurn(chat: Pick<ChatRequest, 'messages'>): boolean {
  return chat.messages.some((m) => m.role === 'assistant');
}

export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => (part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

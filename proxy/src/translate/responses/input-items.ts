// Responses API conversation items → Chat Completions messages. One mapper for every place such items arrive:
// the /v1/responses endpoint and the Responses-shaped bodies Cursor sends to /chat/completions.
//   function_call / custom_tool_call          → an assistant message with one tool call
//   function_call_output / custom_tool_call_output → a tool message
//   reasoning with encrypted_content we issued → an assistant message holding the Claude thinking blocks
//   item_reference                            → nothing (OpenAI-side state the gateway does not have)
import { invalidRequest } from '../../errors.ts';
import { normalizeContent } from '../normalize-parts.ts';
import type { ChatContentPart, ChatMessage } from '../openai-types.ts';
import type { ReasoningSeal } from './reasoning-seal.ts';
import { flatToolName } from './tool-names.ts';

export interface ItemContext {
  /** Opens reasoning items' `encrypted_content`; without it reasoning items are skipped. */
  seal?: Pick<ReasoningSeal, 'open'>;
  /** Receives a note for each item dropped on purpose. */
  note?: (text: string) => void;
}

const RESPONSES_ITEM_TYPES = new Set([
  'function_call',
  'custom_tool_call',
  'function_call_output',
  'custom_tool_call_output',
  'reasoning',
  'item_reference',
]);

export function isResponsesItemType(type: string): boolean {
  return RESPONSES_ITEM_TYPES.has(type);
}

/** A non-message Responses item as a chat message, or undefined when it carries nothing for Claude. */
export function responsesItemToMessage(item: Record<string, unknown>, path: string, ctx: ItemContext = {}): ChatMessage | undefined {
  switch (item.type) {
    case 'function_call':
      return {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: requireText(item.call_id, `${path}.call_id`), type: 'function', function: { name: callName(item, path), arguments: argumentsText(item.arguments) } }],
      };
    case 'custom_tool_call':
      return {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: requireText(item.call_id, `${path}.call_id`), type: 'custom', custom: { name: callName(item, path), input: typeof item.input === 'string' ? item.input : '' } }],
      };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { role: 'tool', tool_call_id: requireText(item.call_id, `${path}.call_id`), content: normalizeContent(item.output ?? '', `${path}.output`) };
    case 'reasoning':
      return reasoningMessage(item, path, ctx);
    default:
      return undefined;
  }
}

function reasoningMessage(item: Record<string, unknown>, path: string, ctx: ItemContext): ChatMessage | undefined {
  const sealed = item.encrypted_content;
  if (!ctx.seal || typeof sealed !== 'string' || sealed === '') return undefined;
  const blocks = ctx.seal.open(sealed);
  if (!blocks) {
    ctx.note?.(`${path} reasoning dropped (its encrypted_content was not issued by this gateway or was altered)`);
    return undefined;
  }
  if (blocks.length === 0) return undefined;
  return { role: 'assistant', content: blocks.map((b) => ({ ...b }) as ChatContentPart) };
}

function callName(item: Record<string, unknown>, path: string): string {
  const name = requireText(item.name, `${path}.name`);
  return typeof item.namespace === 'string' && item.namespace !== '' ? flatToolName(name, item.namespace) : name;
}

/** Arguments are a JSON string in OpenAI's API; some clients send the object itself. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

export function requireText(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw invalidRequest(`${path} must be a non-empty string`, path);
  return value;
}

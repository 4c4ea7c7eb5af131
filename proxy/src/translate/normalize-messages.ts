// Conversation items in any dialect → Chat Completions messages. Chat messages, Responses items (mapped by
// responses/input-items.ts) and Anthropic-shaped content may be mixed in one array; each item becomes at most
// one message, in order.
import { invalidRequest } from '../errors.ts';
import type { ChatMessage, ChatToolCall } from './openai-types.ts';
import { isRecord } from './json-values.ts';
import { cacheControlOf, normalizeContent } from './normalize-parts.ts';
import { argumentsText, isResponsesItemType, requireText, responsesItemToMessage, type ItemContext } from './responses/input-items.ts';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** `path` names the array as the client sent it: `messages` or `input`. */
export function normalizeItems(items: readonly unknown[], path: string, ctx: ItemContext = {}): ChatMessage[] {
  const out: ChatMessage[] = [];
  items.forEach((item, i) => {
    const message = normalizeItem(item, `${path}[${i}]`, ctx);
    if (message) out.push(message);
  });
  return out;
}

function normalizeItem(item: unknown, path: string, ctx: ItemContext): ChatMessage | undefined {
  if (!isRecord(item)) throw invalidRequest(`${path} must be an object`, path);
  const type = item.type;
  if (type === undefined || type === null || type === 'message') return chatMessage(item, path);
  if (typeof type !== 'string') throw invalidRequest(`${path}.type must be a string`, `${path}.type`);
  if (!isResponsesItemType(type)) throw invalidRequest(`${path}.type '${type}' is not supported`, `${path}.type`);
  return responsesItemToMessage(item, path, ctx);
}

function chatMessage(item: Record<string, unknown>, path: string): ChatMessage {
  const role = item.role;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    const shown = typeof role === 'string' ? `'${role}'` : 'missing';
    throw invalidRequest(`${path}.role ${shown} is not one of system, developer, user, assistant, tool, function`, `${path}.role`);
  }
  const message: ChatMessage = { role, content: normalizeContent(item.content, `${path}.content`) };
  if (typeof item.name === 'string') message.name = item.name;
  if (role === 'assistant') {
    const calls = toolCalls(item.tool_calls, `${path}.tool_calls`);
    if (calls.length > 0) message.tool_calls = calls;
    if (isRecord(item.function_call) && typeof item.function_call.name === 'string') {
      message.function_call = { name: item.function_call.name, arguments: argumentsText(item.function_call.arguments) };
    }
    if (Array.isArray(item.reasoning_details)) message.reasoning_details = item.reasoning_details;
  }
  if (role === 'tool' && typeof item.tool_call_id === 'string' && item.tool_call_id !== '') {
    message.tool_call_id = item.tool_call_id;
  }
  const cache = cacheControlOf(item.cache_control);
  if (cache) message.cache_control = cache;
  return message;
}

function toolCalls(value: unknown, path: string): ChatToolCall[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest(`${path} must be an array`, path);
  return value.map((call, j) => toolCall(call, `${path}[${j}]`));
}

function toolCall(call: unknown, path: string): ChatToolCall {
  if (!isRecord(call)) throw invalidRequest(`${path} must be an object`, path);
  const id = typeof call.id === 'string' ? call.id : '';
  if (call.type === 'custom' || isRecord(call.custom)) {
    const custom = isRecord(call.custom) ? call.custom : {};
    return {
      id,
      type: 'custom',
      custom: { name: requireText(custom.name, `${path}.custom.name`), input: typeof custom.input === 'string' ? custom.input : '' },
    };
  }
  const fn = isRecord(call.function) ? call.function : undefined;
  if (!fn) throw invalidRequest(`${path}.function is required`, `${path}.function`);
  return { id, type: 'function', function: { name: requireText(fn.name, `${path}.function.name`), arguments: argumentsText(fn.arguments) } };
}

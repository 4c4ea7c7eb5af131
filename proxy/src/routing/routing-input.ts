// The plain-text view of a request that the router scores: system text, each message's text and whether a
// person wrote it (as opposed to tool output), and how many tools were offered. Built the same way from an
// OpenAI chat request and from an Anthropic Messages body, so both routes route alike.
import type { ChatRequest } from '../translate/openai-types.ts';

export interface RoutingMessage {
  role: 'user' | 'assistant' | 'tool';
  text: string;
  /** Text a person typed: a user message that is not only tool results. */
  human: boolean;
}

export interface RoutingInput {
  system: string;
  messages: RoutingMessage[];
  toolCount: number;
}

const TEXT_PART_TYPES = new Set(['text', 'input_text', 'output_text']);
const TOOL_RESULT_TYPES = new Set(['tool_result', 'function_call_output']);

/** Text of a content value (a string, or parts), and whether it held anything besides tool results. */
function contentText(content: unknown): { text: string; onlyToolResults: boolean } {
  if (typeof content === 'string') return { text: content, onlyToolResults: false };
  if (!Array.isArray(content)) return { text: '', onlyToolResults: false };
  const pieces: string[] = [];
  let sawOther = false;
  let sawToolResult = false;
  for (const part of content) {
    if (part === null || typeof part !== 'object') continue;
    const p = part as Record<string, unknown>;
    const type = typeof p.type === 'string' ? p.type : '';
    if (TOOL_RESULT_TYPES.has(type)) {
      sawToolResult = true;
      const inner = contentText(p.content ?? p.output);
      if (inner.text) pieces.push(inner.text);
    } else {
      sawOther = true;
      if ((TEXT_PART_TYPES.has(type) || type === '') && typeof p.text === 'string') pieces.push(p.text);
    }
  }
  return { text: pieces.join('\n'), onlyToolResults: sawToolResult && !sawOther };
}

function toolCallText(message: Record<string, unknown>): string {
  const calls = message.tool_calls;
  if (!Array.isArray(calls)) return '';
  return calls
    .map((call) => {
      const fn = (call as { function?: { name?: unknown; arguments?: unknown } })?.function;
      return fn ? `${String(fn.name ?? '')} ${typeof fn.arguments === 'string' ? fn.arguments : ''}` : '';
    })
    .join('\n');
}

export function routingInputFromChat(chat: ChatRequest): RoutingInput {
  const system: string[] = [];
  const messages: RoutingMessage[] = [];
  for (const message of chat.messages) {
    const { text, onlyToolResults } = contentText(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(text);
        break;
      case 'assistant':
        messages.push({ role: 'assistant', text: [text, toolCallText(message)].filter(Boolean).join('\n'), human: false });
        break;
      case 'tool':
      case 'function':
        messages.push({ role: 'tool', text, human: false });
        break;
      default:
        messages.push({ role: onlyToolResults ? 'tool' : 'user', text, human: !onlyToolResults });
    }
  }
  return { system: system.join('\n'), messages, toolCount: (chat.tools?.length ?? 0) + (chat.functions?.length ?? 0) };
}

export function routingInputFromAnthropic(params: Record<string, unknown>): RoutingInput {
  const system = contentText(params.system).text;
  const messages: RoutingMessage[] = [];
  for (const raw of Array.isArray(params.messages) ? params.messages : []) {
    if (raw === null || typeof raw !== 'object') continue;
    const message = raw as { role?: unknown; content?: unknown };
    const { text, onlyToolResults } = contentText(message.content);
    if (message.role === 'assistant') messages.push({ role: 'assistant', text, human: false });
    else messages.push({ role: onlyToolResults ? 'tool' : 'user', text, human: !onlyToolResults });
  }
  return { system, messages, toolCount: Array.isArray(params.tools) ? params.tools.length : 0 };
}

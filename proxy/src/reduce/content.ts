// Reading and rewriting the texts of an Anthropic request without touching anything else.
// Only user-side text (user text blocks and tool results) is ever rewritten: what the model itself said stays
// as it said it, and thinking blocks, images and documents pass through untouched.
import type {
  ContentBlockParam,
  MessageCreateParams,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';

export type Role = 'system' | 'user' | 'assistant';

/** A string content is shorthand for one text block. */
export function blocksOf(content: string | readonly ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : [...content];
}

export function systemBlocks(params: MessageCreateParams): TextBlockParam[] {
  const system = params.system;
  if (system === undefined || system === null) return [];
  return typeof system === 'string' ? (system === '' ? [] : [{ type: 'text', text: system }]) : [...system];
}

/** String leaves of a tool call's input, in key order: the model reads them like any text. */
export function inputStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) inputStrings(item, out);
  else if (value && typeof value === 'object') for (const key of Object.keys(value)) inputStrings((value as Record<string, unknown>)[key], out);
  return out;
}

/** Every text of one block, in the order the model reads them. */
export function blockTexts(block: ContentBlockParam): string[] {
  switch (block.type) {
    case 'text':
      return [block.text];
    case 'tool_use':
      return inputStrings(block.input);
    case 'tool_result':
      if (typeof block.content === 'string') return [block.content];
      return (block.content ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : []));
    default:
      return [];
  }
}

export function messageTexts(message: MessageParam): string[] {
  return blocksOf(message.content).flatMap(blockTexts);
}

export interface TextVisit {
  text: string;
  role: Role;
  /** Index in params.messages, or -1 for the system prompt. */
  message: number;
}

/** Calls `visit` for every text of the request in prompt order: system, then each message's blocks. */
export function forEachText(params: MessageCreateParams, visit: (v: TextVisit) => void): void {
  for (const block of systemBlocks(params)) visit({ text: block.text, role: 'system', message: -1 });
  params.messages.forEach((message, index) => {
    const role: Role = message.role === 'assistant' ? 'assistant' : 'user';
    for (const text of messageTexts(message)) visit({ text, role, message: index });
  });
}

export function isUserSide(message: MessageParam): boolean {
  return message.role !== 'assistant';
}

function mapToolResult(block: ToolResultBlockParam, fn: (text: string) => string): ToolResultBlockParam {
  if (typeof block.content === 'string') {
    const next = fn(block.content);
    return next === block.content ? block : { ...block, content: next };
  }
  if (!block.content) return block;
  let changed = false;
  const content = block.content.map((part) => {
    if (part.type !== 'text') return part;
    const next = fn(part.text);
    if (next === part.text) return part;
    changed = true;
    return { ...part, text: next };
  });
  return changed ? { ...block, content } : block;
}

export type UserTextKind = 'text' | 'tool_result';

/**
 * Rewrites the user-side texts of one message with `fn`, in reading order. Returns the same object when
 * nothing changed, and keeps a string content a string, so untouched messages stay byte-identical.
 */
export function mapUserTexts(message: MessageParam, fn: (text: string, kind: UserTextKind) => string): MessageParam {
  if (!isUserSide(message)) return message;
  if (typeof message.content === 'string') {
    const next = fn(message.content, 'text');
    return next === message.content ? message : { ...message, content: next };
  }
  let changed = false;
  const content = message.content.map((block): ContentBlockParam => {
    let next: ContentBlockParam = block;
    if (block.type === 'text') {
      const text = fn(block.text, 'text');
      if (text !== block.text) next = { ...block, text };
    } else if (block.type === 'tool_result') {
      next = mapToolResult(block, (t) => fn(t, 'tool_result'));
    }
    if (next !== block) changed = true;
    return next;
  });
  // A system message inside `messages` only holds text blocks, which stay text blocks.
  return changed ? ({ ...message, content } as MessageParam) : message;
}

const TEXT_TOOL_OUTPUT = /^(\[[\w-]+(?: for [^\]\n]*)?\] Result:|<returncode>|Observation:|OBSERVATION:|\[File: |Old environment output)/;

/** Tool output that text-protocol agents (Cline, Roo, mini-swe-agent, SWE-agent) send as a user text. */
export function looksLikeToolOutput(text: string): boolean {
  return TEXT_TOOL_OUTPUT.test(text);
}

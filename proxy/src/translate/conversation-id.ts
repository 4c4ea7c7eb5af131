// One id per conversation, made once per request and shared by everything that follows a conversation across
// its turns: routing stickiness, memory pins, cache pacing and the prefix state. An agent resends its system
// prompt and its first human message unchanged on every turn, so those two identify the conversation. They are
// digested from a sketch (exact lengths and key order, the head and tail of every text), so a system prompt of
// tens of KB is not hashed whole on every turn. Conversations that agree on all of that share an id, which is
// safe for each user: routing and pacing are heuristics, a memory pin is decided at a conversation's first turn,
// and the prefix state compares the whole prefix before it resumes.
import { hash } from 'node:crypto';

/** What identifies a conversation: its system prompt and its first human message, in the request's own shape. */
export interface ConversationAnchor {
  system: unknown;
  firstHuman: unknown;
}

export interface ConversationIds {
  /** From the conversation's content; undefined while it has no human message to anchor it. */
  content: string | undefined;
  /** The client's own name for it (`prompt_cache_key`) when given, else the content id: what routing and pacing follow. */
  named: string | undefined;
}

export function conversationIds(anchor: ConversationAnchor | undefined, hint?: string): ConversationIds {
  const content = anchor ? digest([sketch(anchor.system ?? null), sketch(anchor.firstHuman ?? null)]) : undefined;
  return { content, named: hint ? digest(['hint', hint]) : content };
}

type Role = { role: string; content?: unknown };

/** An OpenAI chat request's anchor: its system and developer messages before the first human message, and that message. */
export function chatAnchor(messages: readonly Role[]): ConversationAnchor | undefined {
  const system: unknown[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') system.push(message.content ?? null);
    else if (message.role === 'user' && !onlyToolResults(message.content)) return { system, firstHuman: message.content ?? null };
  }
  return undefined;
}

/** An Anthropic Messages request's anchor: its system prompt and its first user turn that is not only tool results. */
export function anthropicAnchor(params: { system?: unknown; messages?: unknown }): ConversationAnchor | undefined {
  if (!Array.isArray(params.messages)) return undefined;
  const first = (params.messages as unknown[]).find((m): m is Role => {
    const message = m as Role | null;
    return message?.role === 'user' && !onlyToolResults(message.content);
  });
  return first ? { system: params.system ?? null, firstHuman: first.content ?? null } : undefined;
}

function onlyToolResults(content: unknown): boolean {
  if (!Array.isArray(content) || content.length === 0) return false;
  return content.every((part) => {
    const type = (part as { type?: unknown } | null)?.type;
    return type === 'tool_result' || type === 'function_call_output';
  });
}

function digest(value: unknown): string {
  return hash('sha256', JSON.stringify(value), 'base64url');
}

const EDGE = 256;

/** Strings become [length, head, tail]; objects keep their shape, with every string sketched. */
function sketch(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length <= 2 * EDGE ? value : [value.length, value.slice(0, EDGE), value.slice(-EDGE)];
  if (typeof value !== 'object' || value === null || depth > 3) return typeof value === 'object' && value !== null ? Object.keys(value).length : value;
  if (Array.isArray(value)) return value.map((item) => sketch(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = sketch((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

// Which cache lifetime a conversation's breakpoints should use. A 5-minute entry is written at 1.25x and a
// 1-hour one at 2x; when turns come more than a few minutes apart (a person reviewing each step, a slow
// model) every 5-minute entry has expired by the next turn and the whole prefix is written again. So a
// conversation starts on 5 minutes and moves to 1 hour once one of its gaps came close to that lifetime.
// A gap longer than an hour says nothing either way: no entry survives it.
// The clock is the caller's; the state is a bounded in-memory map.
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { CacheTtl } from './cache-control.ts';
import { sha256Hex } from './hash.ts';

/** A gap this long means a 5-minute entry would have (nearly) expired. */
export const SLOW_GAP_MS = 4 * 60_000;
/** Beyond this even a 1-hour entry is gone. */
export const IDLE_GAP_MS = 60 * 60_000;

interface Conversation {
  lastAt: number;
  slow: boolean;
}

/**
 * Tools, system and the first message identify an agent conversation across its turns. A client that names
 * its conversation (`hint`, scoped by the caller) is taken at its word: the key is the model and that name.
 *
 * The key digests a sketch of them (exact lengths, tool names, the head and tail of every text) rather than all
 * their bytes: an agent's system prompt and tools run to tens of KB and would otherwise be serialised and hashed
 * on every turn. Two conversations that agree on all of that share cache pacing; the prefix state, which uses
 * the same key, compares the whole prefix before it resumes, so sharing a key never changes a byte.
 */
export function conversationKey(params: MessageCreateParams, hint?: string): string {
  if (hint) return sha256Hex(JSON.stringify(['hint', params.model, hint]));
  const first = params.messages[0];
  return sha256Hex(JSON.stringify([params.model, sketch(params.tools ?? null), sketch(params.system ?? null), first ? sketch(first.content) : null]));
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

export class CachePacing {
  private readonly conversations = new Map<string, Conversation>();

  constructor(private readonly maxConversations = 10_000) {}

  /** Records a request at `now` (ms) and returns the lifetime its breakpoints should use. */
  observe(key: string, now: number): CacheTtl {
    const seen = this.conversations.get(key);
    const conversation: Conversation = seen
      ? { lastAt: now, slow: seen.slow || (now - seen.lastAt >= SLOW_GAP_MS && now - seen.lastAt < IDLE_GAP_MS) }
      : { lastAt: now, slow: false };
    this.conversations.delete(key);
    this.conversations.set(key, conversation);
    while (this.conversations.size > this.maxConversations) this.conversations.delete(this.conversations.keys().next().value!);
    return conversation.slow ? '1h' : '5m';
  }
}

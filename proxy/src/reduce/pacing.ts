// Which cache lifetime a conversation's breakpoints should use. A 5-minute entry is written at 1.25x and a
// 1-hour one at 2x; when turns come more than a few minutes apart (a person reviewing each step, a slow
// model) every 5-minute entry has expired by the next turn and the whole prefix is written again. So a
// conversation starts on 5 minutes and moves to 1 hour once one of its gaps came close to that lifetime.
// A gap longer than an hour says nothing either way: no entry survives it.
// The clock is the caller's; the state is a bounded in-memory map keyed by conversation id (conversation-id.ts).
import type { CacheTtl } from './cache-control.ts';

/** A gap this long means a 5-minute entry would have (nearly) expired. */
export const SLOW_GAP_MS = 4 * 60_000;
/** Beyond this even a 1-hour entry is gone. */
export const IDLE_GAP_MS = 60 * 60_000;

interface Conversation {
  lastAt: number;
  slow: boolean;
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

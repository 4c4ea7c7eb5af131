// Which upstream each conversation went to: a bounded local map, and the shared state when replicas share one
// (so a conversation keeps its prompt cache whichever replica serves its next turn). Losing an entry only costs
// one cache write: the conversation then starts over where the balancer sends it.
import type { KeyValueCache } from '../../shared-state/shared-state.ts';

export interface StickyStore {
  get(conversation: string): Promise<string | undefined>;
  set(conversation: string, upstream: string): Promise<void>;
}

const MAX_LOCAL = 20_000;
/** A conversation idle this long has no prompt cache left worth keeping (the longest cache lifetime is 1h). */
export const STICKY_TTL_SECONDS = 3600;

export function createStickyStore(shared?: KeyValueCache): StickyStore {
  const local = new Map<string, string>();
  const remember = (conversation: string, upstream: string) => {
    local.delete(conversation);
    local.set(conversation, upstream);
    if (local.size > MAX_LOCAL) local.delete(local.keys().next().value as string);
  };
  return {
    async get(conversation) {
      const known = local.get(conversation);
      if (known !== undefined || !shared) return known;
      const found = await shared.get(conversation);
      if (found !== undefined) remember(conversation, found);
      return found;
    },
    async set(conversation, upstream) {
      if (local.get(conversation) === upstream) return;
      remember(conversation, upstream);
      await shared?.set(conversation, upstream, STICKY_TTL_SECONDS);
    },
  };
}

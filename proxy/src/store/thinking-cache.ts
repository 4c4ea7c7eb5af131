// Keeps the thinking blocks of assistant tool turns so the next request can send them back unchanged.
// Bounded: the oldest turns are forgotten first; a forgotten turn only costs the model its earlier reasoning.
import type { KeptThinkingBlock, ThinkingCarry, ThinkingLookup } from '../translate/thinking.ts';

export interface ThinkingCache {
  remember(carry: ThinkingCarry): void;
  lookup: ThinkingLookup;
  readonly size: number;
}

export function createThinkingCache(maxEntries = 20_000): ThinkingCache {
  const entries = new Map<string, KeptThinkingBlock[]>();
  return {
    remember(carry) {
      for (const id of carry.toolCallIds) {
        entries.delete(id);
        entries.set(id, carry.blocks);
      }
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    lookup: (toolCallId) => entries.get(toolCallId),
    get size() {
      return entries.size;
    },
  };
}

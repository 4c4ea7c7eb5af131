// Plugin calls the client never saw, kept so its next request can be completed with them. Keyed, like the
// thinking cache, by the tool call ids the client did see: when the client sends that assistant turn back,
// the gateway puts the hidden rounds before it, the plugin calls inside it and their results after it, so
// every tool_use keeps its tool_result. Bounded: the oldest turns are forgotten first; a forgotten turn only
// costs the model the plugin output it had seen (the history stays valid without it).
import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';

export interface KeptExchange {
  /** Hidden rounds before the visible turn: assistant (plugin calls), user (their results), … */
  before: MessageParam[];
  /** The visible assistant turn as the model produced it, plugin calls included. */
  assistant: ContentBlockParam[];
  /** Results of the plugin calls made in the visible turn. */
  results: ToolResultBlockParam[];
}

export interface ExchangeStore {
  remember(clientToolCallIds: readonly string[], exchange: KeptExchange): void;
  lookup(toolCallId: string): KeptExchange | undefined;
  readonly size: number;
}

export function createExchangeStore(maxEntries = 20_000): ExchangeStore {
  const entries = new Map<string, KeptExchange>();
  return {
    remember(ids, exchange) {
      for (const id of ids) {
        entries.delete(id);
        entries.set(id, exchange);
      }
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    lookup: (id) => entries.get(id),
    get size() {
      return entries.size;
    },
  };
}

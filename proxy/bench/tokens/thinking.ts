// What pruning and other rewrites would cost in preserved thinking. The traces carry no thinking, so each
// assistant tool turn is taken to have carried one thinking block bound to the prefix in front of it when it
// first appeared; on every later request the block goes back only while that prefix is unchanged (the prefix
// check of Claude's 5.x models). Counts are block-sends: a block left out on three later turns counts three.
import { createHash } from 'node:crypto';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { prefixDigests } from '../../src/translate/thinking-binding.ts';

/** An assumed size of one turn's reasoning, to put the dropped blocks in tokens. */
export const ASSUMED_THINKING_TOKENS = 400;

export interface ThinkingTally {
  kept: number;
  dropped: number;
}

export function createThinkingTally(): ThinkingTally & { observe(params: MessageCreateParams): void } {
  const bindings = new Map<string, string>();
  const tally = {
    kept: 0,
    dropped: 0,
    observe(params: MessageCreateParams) {
      const digests = prefixDigests(params);
      params.messages.forEach((message, i) => {
        if (message.role !== 'assistant' || typeof message.content === 'string' || !message.content.some((b) => b.type === 'tool_use')) return;
        const key = createHash('sha256').update(JSON.stringify(message.content)).digest('base64url');
        const bound = bindings.get(key);
        if (bound === undefined) bindings.set(key, digests[i]!);
        else if (bound === digests[i]) tally.kept++;
        else tally.dropped++;
      });
    },
  };
  return tally;
}

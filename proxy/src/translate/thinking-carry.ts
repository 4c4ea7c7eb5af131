// Lifts the thinking a client carried in `reasoning_details` into its assistant messages, as the Anthropic
// blocks the translation already understands, keeping only entries whose seal opens (issued by this gateway
// or a replica on the same account, and unaltered); the others are left out and counted.
import type { ChatContentPart, ChatMessage } from './openai-types.ts';
import { fromReasoningDetails, type CarrySeal } from './reasoning-details.ts';
import { blockKey, isThinkingBlock } from './thinking-binding.ts';

export interface LiftedThinking {
  messages: ChatMessage[];
  /** The bindings the opened seals vouch for, by block key. */
  bindings: Map<string, string>;
  /** Entries left out: not sealed by this gateway, or changed since. */
  ignored: number;
}

export function liftCarriedThinking(messages: readonly ChatMessage[], seal: CarrySeal): LiftedThinking {
  const bindings = new Map<string, string>();
  let ignored = 0;
  const lifted = messages.map((message) => {
    if (message.role !== 'assistant' || !message.reasoning_details) return message;
    const { reasoning_details: details, ...rest } = message;
    const parts: ChatContentPart[] =
      typeof rest.content === 'string' ? (rest.content === '' ? [] : [{ type: 'text', text: rest.content }]) : [...(rest.content ?? [])];
    // A turn that brought its own Anthropic blocks keeps them.
    if (parts.some(isThinkingBlock)) return rest;
    const opened: ChatContentPart[] = [];
    for (const { block, id } of fromReasoningDetails(details)) {
      const binding = seal.open(block, id);
      if (binding === undefined) {
        ignored++;
        continue;
      }
      bindings.set(blockKey(block), binding);
      opened.push(block as unknown as ChatContentPart);
    }
    return opened.length === 0 ? rest : { ...rest, content: [...opened, ...parts] };
  });
  return { messages: lifted, bindings, ignored };
}

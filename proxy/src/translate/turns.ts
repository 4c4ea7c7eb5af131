// Shaping the turn list: Anthropic wants alternating, non-empty user/assistant turns.
import type { ContentBlockParam, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { KeptThinkingBlock, ThinkingLookup } from './thinking.ts';
import type { ToolUseOrigin, Turn } from './conversation.ts';

/** Drops turns left without content and joins neighbours of the same role. */
export function mergeTurns(turns: readonly Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const turn of turns) {
    if (turn.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === turn.role) last.content = [...last.content, ...turn.content];
    else out.push({ role: turn.role, content: [...turn.content] });
  }
  return out;
}

/**
 * Puts the thinking an earlier response produced back at the start of its assistant turn, as Anthropic requires
 * on tool turns when thinking is on. The turn is found by its first tool call, whose id the client kept.
 */
export function restoreThinking(turns: Turn[], lookup: ThinkingLookup | undefined, origins: WeakMap<ToolUseBlockParam, ToolUseOrigin>): void {
  if (!lookup) return;
  for (const turn of turns) {
    if (turn.role !== 'assistant') continue;
    if (turn.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking')) continue;
    const first = turn.content.find((b): b is ToolUseBlockParam => b.type === 'tool_use');
    if (!first) continue;
    const blocks: KeptThinkingBlock[] | undefined = lookup(origins.get(first)?.clientId ?? first.id);
    if (blocks && blocks.length > 0) turn.content = [...blocks, ...turn.content];
  }
}

/** A final assistant turn is continued by the model; Anthropic rejects one that ends in whitespace. */
export function trimTrailingAssistant(turns: Turn[]): void {
  const last = turns[turns.length - 1];
  if (!last || last.role !== 'assistant') return;
  const block = last.content[last.content.length - 1];
  if (block?.type === 'text' && block.text !== block.text.trimEnd()) {
    last.content = [...last.content.slice(0, -1), { ...block, text: block.text.trimEnd() } as ContentBlockParam];
  }
}

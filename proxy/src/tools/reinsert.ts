// Puts kept plugin exchanges back into a translated history (see exchange-store.ts). Pure and deterministic:
// the same history and the same kept exchanges give the same messages, so the cached prefix holds.
import type { ContentBlockParam, MessageParam, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { KeptExchange } from './exchange-store.ts';

function toolUses(content: MessageParam['content']): ToolUseBlockParam[] {
  if (typeof content === 'string') return [];
  return (content as ContentBlockParam[]).filter((b): b is ToolUseBlockParam => b.type === 'tool_use');
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

export function reinsertExchanges(
  messages: readonly MessageParam[],
  lookup: (toolCallId: string) => KeptExchange | undefined,
  isPluginTool: (name: string) => boolean,
): MessageParam[] {
  const out: MessageParam[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const uses = message.role === 'assistant' ? toolUses(message.content) : [];
    const kept = uses.length > 0 ? lookup(uses[0]!.id) : undefined;
    // Only when the client sent back exactly the calls it was given: anything else is left as the client has it.
    const keptClientIds = kept ? toolUses(kept.assistant).filter((u) => !isPluginTool(u.name)).map((u) => u.id) : [];
    if (!kept || !sameIds(keptClientIds, uses.map((u) => u.id))) {
      out.push(message);
      continue;
    }
    if (out[out.length - 1]?.role === 'user') out.push(...kept.before);
    out.push({ role: 'assistant', content: kept.assistant });
    const next = messages[i + 1];
    if (next?.role === 'user' && kept.results.length > 0) {
      const content: ContentBlockParam[] = typeof next.content === 'string' ? [{ type: 'text', text: next.content }] : [...next.content];
      out.push({ ...next, content: [...kept.results, ...content] });
      i++;
    }
  }
  return out;
}

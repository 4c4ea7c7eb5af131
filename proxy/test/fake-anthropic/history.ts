// Rules that span messages: tool_use / tool_result pairing and the thinking blocks of earlier turns.
//
// From "Handle tool calls" and the errors the API returns: tool_use ids are unique; every tool_use must be
// answered by a tool_result in the very next message, and those results come first in that message (a
// follow-up that puts other content before the results, or answers only some ids, is refused); every
// tool_result must answer a tool_use of the message just before it. From "Extended thinking": thinking
// blocks go back unmodified (a changed block is a 400), and with manual thinking the final assistant turn
// of a tool loop must start with its thinking block.
import { invalid } from './api-error.ts';
import type { EffectiveThinking } from './thinking.ts';
import { verifyRedacted, verifyThinking } from './thinking.ts';
import { contentBlocks } from './prompt-layout.ts';

function toolUseIds(message: any): string[] {
  return contentBlocks(message?.content)
    .filter((b) => b?.type === 'tool_use')
    .map((b) => b.id);
}

/** The ids answered by the leading run of tool_result blocks. */
function leadingResultIds(message: any): Set<string> {
  const ids = new Set<string>();
  for (const block of contentBlocks(message?.content)) {
    if (block?.type !== 'tool_result') break;
    ids.add(block.tool_use_id);
  }
  return ids;
}

export function checkToolPairing(messages: any[]): void {
  const seen = new Set<string>();
  messages.forEach((message, m) => {
    const blocks = contentBlocks(message.content);
    if (message.role === 'user') {
      const previous = m > 0 && messages[m - 1].role === 'assistant' ? new Set(toolUseIds(messages[m - 1])) : new Set<string>();
      blocks.forEach((block, b) => {
        if (block.type === 'tool_result' && !previous.has(block.tool_use_id)) {
          throw invalid(
            `messages.${m}.content.${b}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. ` +
              'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
          );
        }
      });
    }
    if (message.role !== 'assistant') return;
    blocks.forEach((block, b) => {
      if (block.type !== 'tool_use') return;
      if (seen.has(block.id)) throw invalid(`messages.${m}.content.${b}: \`tool_use\` ids must be unique`);
      seen.add(block.id);
    });
    const ids = toolUseIds(message);
    if (ids.length === 0) return;
    const next = messages[m + 1];
    const answered = next?.role === 'user' ? leadingResultIds(next) : new Set<string>();
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      throw invalid(
        `messages.${m}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
          'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
      );
    }
  });
}

export function checkThinkingHistory(messages: any[], thinking: EffectiveThinking): void {
  messages.forEach((message, m) => {
    if (message.role !== 'assistant') return;
    contentBlocks(message.content).forEach((block, b) => {
      if (block.type === 'thinking' && !verifyThinking(block.thinking, block.signature)) {
        throw invalid(`messages.${m}.content.${b}: Invalid \`signature\` in \`thinking\` block`);
      }
      if (block.type === 'redacted_thinking' && !verifyRedacted(block.data)) {
        throw invalid(`messages.${m}.content.${b}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
    });
  });
  if (thinking.mode !== 'enabled') return;
  let last = -1;
  messages.forEach((message, m) => {
    if (message.role === 'assistant') last = m;
  });
  if (last < 0 || toolUseIds(messages[last]).length === 0) return;
  const first = contentBlocks(messages[last].content)[0];
  if (first?.type !== 'thinking' && first?.type !== 'redacted_thinking') {
    throw invalid(
      `messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. ` +
        'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of ' +
        '`tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this ' +
        'requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking',
    );
  }
}

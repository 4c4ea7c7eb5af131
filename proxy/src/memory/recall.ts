// Which recalled memories a conversation gets, and the exact text it gets them as. Pure: the same memories in
// the same order always render to the same bytes.
import { textTokens } from '../reduce/tokens.ts';
import type { Memory } from './memory-types.ts';

export interface RecallLimits {
  /** Most tokens the block may take (estimated). */
  budgetTokens: number;
  maxCount: number;
}

const HEADER =
  'Context remembered from earlier conversations in this project (it may be out of date; ' +
  "the user's instructions in this conversation take precedence):";

/** Best matches first, skipping any that would not fit; stops at the count limit. */
export function withinBudget<T extends { memory: Memory }>(ranked: readonly T[], limits: RecallLimits): T[] {
  const chosen: T[] = [];
  let used = textTokens(HEADER) + 10;
  for (const hit of ranked) {
    if (chosen.length >= limits.maxCount) break;
    const cost = textTokens(line(hit.memory)) + 1;
    if (used + cost > limits.budgetTokens) continue;
    used += cost;
    chosen.push(hit);
  }
  return chosen;
}

function line(memory: Memory): string {
  return `- (${memory.kind}) ${memory.text.replace(/\s+/g, ' ').trim()}`;
}

/** The block placed at the start of the conversation's first message; '' when there is nothing to recall. */
export function renderMemoryBlock(memories: readonly Memory[]): string {
  if (memories.length === 0) return '';
  return `<gateway_memory>\n${HEADER}\n${memories.map(line).join('\n')}\n</gateway_memory>`;
}

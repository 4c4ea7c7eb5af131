// Anthropic requires every tool_use to be answered by a tool_result in the very next user turn, and every
// tool_result to answer a tool_use of the turn just before. Clients break this (a result lost after an
// interrupted run, a result sent twice, ids reused across turns); a broken pair is a 400 upstream.
//
// Repairs keep every piece of information and depend only on the turn and the one before it, so a repaired
// history stays byte-identical when the conversation grows (prompt caching):
// - a call with no result gets an `is_error` result saying the client sent none;
// - a result that answers no call of the previous turn becomes a labelled text block, content kept;
// - a result without an id takes the first unanswered call of the previous turn;
// - an id reused from an earlier turn is renamed (call and result) so ids stay unique.
// Only a call id repeated inside one assistant turn cannot be resolved (which result is whose?): 400.
import type { ContentBlockParam, TextBlockParam, ToolResultBlockParam, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { Adjustments } from './adjustments.ts';
import type { ToolUseOrigin, Turn } from './conversation.ts';

export const MISSING_RESULT_TEXT = 'No result was provided for this tool call.';

export interface PairingContext {
  notes: Adjustments;
  origins: WeakMap<ToolUseBlockParam, ToolUseOrigin>;
}

export function repairToolPairing(turns: readonly Turn[], ctx: PairingContext): Turn[] {
  const out: Turn[] = [];
  const usedIds = new Set<string>();
  for (let k = 0; k < turns.length; k++) {
    const turn = turns[k]!;
    if (turn.role === 'user') {
      out.push(repairResults(turn, [], new Map(), ctx));
      continue;
    }
    if (turn.role === 'system') {
      out.push(turn);
      continue;
    }
    const renames = new Map<string, string>();
    const assistant = uniqueToolIds(turn, usedIds, renames, ctx);
    out.push(assistant);
    const uses = assistant.content.filter((b): b is ToolUseBlockParam => b.type === 'tool_use');
    if (uses.length === 0) continue;
    const next = turns[k + 1];
    if (next?.role === 'user') {
      out.push(repairResults(next, uses, renames, ctx));
      k++;
    } else {
      out.push(repairResults({ role: 'user', content: [] }, uses, renames, ctx));
    }
  }
  return out;
}

function uniqueToolIds(turn: Turn, usedIds: Set<string>, renames: Map<string, string>, ctx: PairingContext): Turn {
  const inTurn = new Set<string>();
  const content = turn.content.map((block) => {
    if (block.type !== 'tool_use') return block;
    const origin = ctx.origins.get(block);
    if (inTurn.has(block.id)) {
      const where = origin ? `messages[${origin.messageIndex}]` : 'messages';
      throw invalidRequest(
        `${where}: tool call id '${origin?.clientId ?? block.id}' appears twice in one assistant turn, so its results cannot be told apart`,
        `${where}.tool_calls`,
      );
    }
    inTurn.add(block.id);
    if (!usedIds.has(block.id)) {
      usedIds.add(block.id);
      return block;
    }
    let renamed = `${block.id}_m${origin?.messageIndex ?? 0}`;
    for (let n = 2; usedIds.has(renamed); n++) renamed = `${block.id}_m${origin?.messageIndex ?? 0}_${n}`;
    usedIds.add(renamed);
    renames.set(block.id, renamed);
    ctx.notes.add(`tool call id ${origin?.clientId ?? block.id} was reused from an earlier turn, renamed ${renamed}`);
    const copy: ToolUseBlockParam = { ...block, id: renamed };
    if (origin) ctx.origins.set(copy, origin);
    return copy;
  });
  return { role: 'assistant', content };
}

function repairResults(turn: Turn, uses: readonly ToolUseBlockParam[], renames: Map<string, string>, ctx: PairingContext): Turn {
  const wanted = uses.map((u) => u.id);
  const answered = new Set<string>();
  const explicit = new Set(turn.content.filter(isResult).map((b) => renames.get(b.tool_use_id) ?? b.tool_use_id));
  const results: ToolResultBlockParam[] = [];
  const others: ContentBlockParam[] = [];

  for (const block of turn.content) {
    if (!isResult(block)) {
      others.push(block);
      continue;
    }
    let id = block.tool_use_id;
    if (id === '') {
      id = wanted.find((w) => !answered.has(w) && !explicit.has(w)) ?? '';
      if (id !== '') ctx.notes.add(`tool result without tool_call_id paired with call ${id} by position`);
    } else if (renames.has(id) && !answered.has(renames.get(id)!)) {
      id = renames.get(id)!;
    }
    if (id !== '' && wanted.includes(id) && !answered.has(id)) {
      answered.add(id);
      results.push(id === block.tool_use_id ? block : { ...block, tool_use_id: id });
    } else {
      ctx.notes.add(`tool result for ${block.tool_use_id || 'an unnamed call'} matched no tool call of the previous turn, sent as text`);
      others.push(...orphanAsText(block));
    }
  }

  for (const use of uses) {
    if (answered.has(use.id)) continue;
    ctx.notes.add(`tool call ${ctx.origins.get(use)?.clientId ?? use.id} had no result, an error result was sent in its place`);
    results.push({ type: 'tool_result', tool_use_id: use.id, is_error: true, content: MISSING_RESULT_TEXT });
  }
  return { role: 'user', content: [...results, ...others] };
}

function isResult(block: ContentBlockParam): block is ToolResultBlockParam {
  return block.type === 'tool_result';
}

/** A result with nothing to answer: its content as text (and media), labelled with the call id. */
function orphanAsText(block: ToolResultBlockParam): ContentBlockParam[] {
  const label = `Result of tool call ${block.tool_use_id || '(no id)'}${block.is_error ? ' (error)' : ''}:`;
  const content = block.content;
  let blocks: ContentBlockParam[];
  if (content === undefined || content === '') blocks = [{ type: 'text', text: `${label}\n(empty)` }];
  else if (typeof content === 'string') blocks = [{ type: 'text', text: `${label}\n${content}` }];
  else blocks = [{ type: 'text', text: label } satisfies TextBlockParam, ...(content as ContentBlockParam[])];
  if (block.cache_control) {
    const last = blocks[blocks.length - 1] as { cache_control?: unknown };
    last.cache_control = block.cache_control;
  }
  return blocks;
}

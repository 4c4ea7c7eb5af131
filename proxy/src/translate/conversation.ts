// Chat messages (after the leading system ones) → Anthropic turns, one per message before merging.
// user → user turn; assistant → text, tool_use (from `tool_calls`, legacy `function_call` or Anthropic blocks)
// and kept thinking; tool/function → a user turn holding one tool_result; a late system/developer message →
// tagged text in a user turn (see system-prompt.ts).
import type {
  ContentBlockParam,
  RedactedThinkingBlockParam,
  ThinkingBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { ModelCapabilities } from '../models/catalog.ts';
import type { Adjustments } from './adjustments.ts';
import { mediaBlocks, partsOf, textBlock, toolResultContent } from './content-parts.ts';
import { isRecord } from './json-values.ts';
import { cacheControlOf } from './normalize-parts.ts';
import type { ChatContentPart, ChatMessage, ChatToolCall } from './openai-types.ts';
import { isSystemRole, midConversationSystem, systemMessageBlocks } from './system-prompt.ts';
import { customInput, functionInput } from './tool-arguments.ts';
import { positionalToolId, safeToolId } from './tool-ids.ts';

export interface Turn {
  /** `system`: a mid-conversation system message, on models that accept one (see system-prompt.ts). */
  role: 'user' | 'assistant' | 'system';
  content: ContentBlockParam[];
}

/** Where each tool_use came from: the id the client knows it by, and its message. */
export interface ToolUseOrigin {
  clientId: string;
  messageIndex: number;
}

export interface ConversationContext {
  caps: ModelCapabilities;
  notes: Adjustments;
  /** Tools declared as free-text custom tools: their calls carry `{input: text}`. */
  customToolNames: ReadonlySet<string>;
  origins: WeakMap<ToolUseBlockParam, ToolUseOrigin>;
}

export function messagesToTurns(messages: readonly ChatMessage[], start: number, ctx: ConversationContext): Turn[] {
  const turns: Turn[] = [];
  const legacy = new LegacyFunctionCalls();
  for (let i = start; i < messages.length; i++) {
    const message = messages[i]!;
    const path = `messages[${i}]`;
    if (isSystemRole(message.role)) turns.push(systemTurn(messages, i, turns, ctx));
    else if (message.role === 'user') turns.push({ role: 'user', content: userContent(message, path, ctx) });
    else if (message.role === 'assistant') turns.push({ role: 'assistant', content: assistantContent(message, i, ctx, legacy) });
    else {
      // tool, or the legacy `function` role answering an assistant `function_call`
      const id = message.role === 'tool' ? message.tool_call_id : legacy.answer(message.name);
      turns.push({ role: 'user', content: [toolResult(id, message.content, message.cache_control, `${path}.content`, ctx)] });
    }
  }
  return turns;
}

/**
 * A late system/developer message: a `role: "system"` message where the model accepts one, which is right
 * after a user turn and not followed by another user message (the placement the docs describe); elsewhere,
 * tagged text in its user turn.
 */
function systemTurn(messages: readonly ChatMessage[], i: number, turns: readonly Turn[], ctx: ConversationContext): Turn {
  const path = `messages[${i}].content`;
  const before = [...turns].reverse().find((t) => t.content.length > 0);
  const after = messages[i + 1]?.role;
  const placeable = ctx.caps.systemMessages && before?.role === 'user' && (after === undefined || after === 'assistant');
  if (!placeable) return { role: 'user', content: midConversationSystem(messages[i]!, path) };
  return { role: 'system', content: systemMessageBlocks(messages[i]!, path) };
}

function userContent(message: ChatMessage, path: string, ctx: ConversationContext): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const { part, path: partPath } of partsOf(message.content, `${path}.content`)) {
    if (part.type === 'tool_result') blocks.push(anthropicToolResult(part, partPath, ctx));
    else if (isAssistantOnly(part.type)) {
      throw invalidRequest(`${partPath}: a '${part.type}' block belongs in an assistant message`, `${partPath}.type`);
    } else blocks.push(...mediaBlocks(part, partPath, ctx.caps));
  }
  return withMessageCache(blocks, message.cache_control);
}

function isAssistantOnly(type: string): boolean {
  return type === 'tool_use' || type === 'thinking' || type === 'redacted_thinking';
}

function assistantContent(message: ChatMessage, index: number, ctx: ConversationContext, legacy: LegacyFunctionCalls): ContentBlockParam[] {
  const path = `messages[${index}]`;
  const blocks: ContentBlockParam[] = [];
  for (const { part, path: partPath } of partsOf(message.content, `${path}.content`)) {
    blocks.push(...assistantPart(part, partPath, index, ctx));
  }
  const calls = message.tool_calls ?? [];
  calls.forEach((call, j) => blocks.push(toolUseFromCall(call, index, j, ctx)));
  if (message.function_call) {
    const id = positionalToolId(index, calls.length);
    legacy.called(message.function_call.name, id);
    blocks.push(
      toolUse(id, message.function_call.name, inputFor(message.function_call.name, message.function_call.arguments ?? '', id, ctx), index, ctx),
    );
  }
  return withMessageCache(blocks, message.cache_control);
}

function assistantPart(part: ChatContentPart, path: string, index: number, ctx: ConversationContext): ContentBlockParam[] {
  switch (part.type) {
    case 'text':
      return textBlock(part.text ?? '', part.cache_control);
    case 'tool_use': {
      const id = typeof part.id === 'string' && part.id !== '' ? part.id : undefined;
      const name = typeof part.name === 'string' && part.name !== '' ? part.name : undefined;
      if (!id) throw invalidRequest(`${path}.id is required`, `${path}.id`);
      if (!name) throw invalidRequest(`${path}.name is required`, `${path}.name`);
      const input = isRecord(part.input) ? part.input : inputFor(name, typeof part.input === 'string' ? part.input : '', id, ctx);
      const block = toolUse(id, name, input, index, ctx);
      const cache = cacheControlOf(part.cache_control);
      if (cache) block.cache_control = cache;
      return [block];
    }
    case 'thinking':
      if (typeof part.thinking === 'string' && typeof part.signature === 'string') {
        return [{ type: 'thinking', thinking: part.thinking, signature: part.signature } satisfies ThinkingBlockParam];
      }
      ctx.notes.add(`unsigned thinking block in ${path} dropped (Anthropic accepts thinking only with its signature)`);
      return [];
    case 'redacted_thinking':
      if (typeof part.data === 'string') return [{ type: 'redacted_thinking', data: part.data } satisfies RedactedThinkingBlockParam];
      ctx.notes.add(`redacted thinking block without data in ${path} dropped`);
      return [];
    default:
      throw invalidRequest(`${path}: assistant messages may contain text and tool calls, not '${part.type}'`, `${path}.type`);
  }
}

function toolUseFromCall(call: ChatToolCall, index: number, j: number, ctx: ConversationContext): ToolUseBlockParam {
  const id = call.id || positionalToolId(index, j);
  if (call.type === 'custom' && call.custom) return toolUse(id, call.custom.name, { input: call.custom.input ?? '' }, index, ctx);
  const fn = call.function!;
  return toolUse(id, fn.name, inputFor(fn.name, fn.arguments ?? '', id, ctx), index, ctx);
}

function inputFor(name: string, args: string, id: string, ctx: ConversationContext): Record<string, unknown> {
  return ctx.customToolNames.has(name) ? customInput(args) : functionInput(args, id, ctx.notes);
}

function toolUse(clientId: string, name: string, input: Record<string, unknown>, messageIndex: number, ctx: ConversationContext): ToolUseBlockParam {
  const block: ToolUseBlockParam = { type: 'tool_use', id: safeToolId(clientId), name, input };
  ctx.origins.set(block, { clientId, messageIndex });
  return block;
}

/** A tool result; an empty `tool_use_id` is paired by position later (see tool-pairing.ts). */
function toolResult(clientId: string | undefined, content: unknown, cacheControl: unknown, path: string, ctx: ConversationContext): ToolResultBlockParam {
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: clientId ? safeToolId(clientId) : '' };
  const converted = toolResultContent(content, { path, caps: ctx.caps });
  if (converted !== undefined) block.content = converted;
  const cache = cacheControlOf(cacheControl);
  if (cache) block.cache_control = cache;
  return block;
}

function anthropicToolResult(part: ChatContentPart, path: string, ctx: ConversationContext): ToolResultBlockParam {
  if (typeof part.tool_use_id !== 'string' || part.tool_use_id === '') {
    throw invalidRequest(`${path}.tool_use_id is required`, `${path}.tool_use_id`);
  }
  const block = toolResult(part.tool_use_id, part.content, part.cache_control, `${path}.content`, ctx);
  if (part.is_error === true) block.is_error = true;
  return block;
}

/** A breakpoint set on a whole message marks its last block. */
function withMessageCache(blocks: ContentBlockParam[], cacheControl: unknown): ContentBlockParam[] {
  const cache = cacheControlOf(cacheControl);
  const last = blocks[blocks.length - 1];
  if (cache && last && last.type !== 'thinking' && last.type !== 'redacted_thinking' && !('cache_control' in last && last.cache_control)) {
    (last as { cache_control?: unknown }).cache_control = cache;
  }
  return blocks;
}

// The legacy `functions` API gives calls no ids: a `function` message answers the latest unanswered call of
// that name. Ids are made from message positions, so the same history always yields the same ids.
class LegacyFunctionCalls {
  private readonly open: Array<{ name: string; id: string }> = [];

  called(name: string, id: string): void {
    this.open.push({ name, id });
  }

  answer(name: string | undefined): string | undefined {
    let at = -1;
    for (let k = this.open.length - 1; k >= 0; k--) {
      if (this.open[k]!.name === name) {
        at = k;
        break;
      }
    }
    if (at < 0) at = this.open.length - 1;
    if (at < 0) return undefined;
    return this.open.splice(at, 1)[0]!.id;
  }
}

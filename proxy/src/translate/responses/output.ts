// An Anthropic Message → a Responses API `response` object. One output item per content block, in order:
// text → `message` with one `output_text` part; thinking and redacted thinking → `reasoning` (the thinking as
// summary text, the signed blocks sealed into `encrypted_content`); tool_use → `function_call`, or
// `custom_tool_call` with the raw text for a free-text tool. Item ids derive from the response id and the
// block's position, so the streamed and the finished response name every item the same way.
import type { ContentBlock, Message, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { customToolText } from '../response.ts';
import type { KeptThinkingBlock, ThinkingCarry } from '../thinking.ts';
import { toOpenAIUsage, type AnthropicUsageLike } from '../usage.ts';
import type { ResponseEcho } from './request.ts';
import { clientToolName, type NamespacedNames } from './tool-names.ts';

export interface ResponsesContext {
  /** `resp_…` */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  echo: ResponseEcho;
  previousResponseId?: string;
  store: boolean;
  namespaced: NamespacedNames;
  customToolNames: readonly string[];
  /** Seals thinking blocks into `encrypted_content`. */
  seal: (blocks: readonly KeptThinkingBlock[]) => string;
}

export type OutputItem = Record<string, unknown> & { type: string; id: string };
export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export function itemId(ctx: Pick<ResponsesContext, 'id'>, prefix: string, blockIndex: number): string {
  return `${prefix}_${ctx.id.replace(/^resp_/, '')}_${blockIndex}`;
}

/** The output item for one finished content block, or undefined for blocks a Responses client has no item for. */
export function outputItem(block: ContentBlock, blockIndex: number, ctx: ResponsesContext): OutputItem | undefined {
  switch (block.type) {
    case 'text':
      return messageItem(itemId(ctx, 'msg', blockIndex), block.text, 'completed');
    case 'thinking':
      return reasoningItem(itemId(ctx, 'rs', blockIndex), block.thinking, ctx.seal([{ type: 'thinking', thinking: block.thinking, signature: block.signature }]));
    case 'redacted_thinking':
      return reasoningItem(itemId(ctx, 'rs', blockIndex), '', ctx.seal([{ type: 'redacted_thinking', data: block.data }]));
    case 'tool_use':
      return toolCallItem(block.id, block.name, block.input, blockIndex, ctx);
    default:
      return undefined;
  }
}

export function messageItem(id: string, text: string, status: 'completed' | 'in_progress'): OutputItem {
  return { type: 'message', id, status, role: 'assistant', content: status === 'completed' ? [textPart(text)] : [] };
}

export function textPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function reasoningItem(id: string, thinking: string, sealed?: string): OutputItem {
  return {
    type: 'reasoning',
    id,
    summary: thinking === '' ? [] : [{ type: 'summary_text', text: thinking }],
    ...(sealed !== undefined && { encrypted_content: sealed }),
  };
}

export function toolCallItem(callId: string, flatName: string, input: unknown, blockIndex: number, ctx: ResponsesContext): OutputItem {
  const { name, namespace } = clientToolName(flatName, ctx.namespaced);
  if (ctx.customToolNames.includes(flatName)) {
    const text = customToolText(input) ?? JSON.stringify(input ?? {});
    return { type: 'custom_tool_call', id: itemId(ctx, 'ctc', blockIndex), call_id: callId, name, ...(namespace && { namespace }), input: text };
  }
  const args = JSON.stringify(input ?? {});
  return { type: 'function_call', id: itemId(ctx, 'fc', blockIndex), call_id: callId, name, ...(namespace && { namespace }), arguments: args, status: 'completed' };
}

export function toResponsesUsage(u: AnthropicUsageLike): ResponsesUsage {
  const usage = toOpenAIUsage(u);
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens, cache_write_tokens: usage.cache_creation_input_tokens },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

/** Stop reasons that end a response early: it is `incomplete`, and says why. */
export function incompleteReason(stop: StopReason | null): 'max_output_tokens' | 'content_filter' | undefined {
  if (stop === 'max_tokens' || stop === 'model_context_window_exceeded') return 'max_output_tokens';
  if (stop === 'refusal') return 'content_filter';
  return undefined;
}

export interface ResponseParts {
  status: ResponseStatus;
  output: OutputItem[];
  usage?: ResponsesUsage;
  incomplete?: 'max_output_tokens' | 'content_filter';
  error?: { code: string; message: string };
  completedAt?: number;
}

/** The response object around its output; the same shape for created, in-progress and final events. */
export function responseObject(ctx: ResponsesContext, parts: ResponseParts): Record<string, unknown> {
  const e = ctx.echo;
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.createdAt,
    status: parts.status,
    ...(parts.completedAt !== undefined && { completed_at: parts.completedAt }),
    background: false,
    error: parts.error ?? null,
    incomplete_details: parts.incomplete ? { reason: parts.incomplete } : null,
    instructions: e.instructions,
    max_output_tokens: e.max_output_tokens,
    model: ctx.model,
    output: parts.output,
    parallel_tool_calls: e.parallel_tool_calls,
    previous_response_id: ctx.previousResponseId ?? null,
    reasoning: e.reasoning,
    store: ctx.store,
    temperature: e.temperature,
    text: e.text,
    tool_choice: e.tool_choice,
    tools: e.tools,
    top_p: e.top_p,
    truncation: 'disabled',
    ...(parts.usage && { usage: parts.usage }),
    ...(e.user !== undefined && { user: e.user }),
    ...(e.safety_identifier !== undefined && { safety_identifier: e.safety_identifier }),
    ...(e.prompt_cache_key !== undefined && { prompt_cache_key: e.prompt_cache_key }),
    metadata: e.metadata,
  };
}

/** A finished Anthropic message as a complete response. */
export function toResponse(message: Message, ctx: ResponsesContext, completedAt: number): Record<string, unknown> {
  const output: OutputItem[] = [];
  (message.content as readonly ContentBlock[]).forEach((block, i) => {
    const item = outputItem(block, i, ctx);
    if (item) output.push(item);
  });
  const incomplete = incompleteReason(message.stop_reason);
  return responseObject(ctx, {
    status: incomplete ? 'incomplete' : 'completed',
    output,
    usage: toResponsesUsage(message.usage),
    ...(incomplete && { incomplete }),
    completedAt,
  });
}

/** What the client sees: `encrypted_content` only when it asked for it with `include`. */
export function forClient<T>(value: T, includeEncrypted: boolean): T {
  if (includeEncrypted || value === null || typeof value !== 'object') return value;
  const response = value as Record<string, unknown>;
  if (!Array.isArray(response.output)) return value;
  return { ...response, output: response.output.map((item) => withoutSealed(item)) } as T;
}

export function withoutSealed(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || !('encrypted_content' in item)) return item;
  const { encrypted_content: _sealed, ...rest } = item as Record<string, unknown>;
  return rest;
}

/** The thinking of a turn that called tools, kept for a client that sends back no reasoning items. */
export function thinkingCarryOf(message: Message): ThinkingCarry | null {
  const blocks: KeptThinkingBlock[] = [];
  const toolCallIds: string[] = [];
  for (const block of message.content as readonly ContentBlock[]) {
    if (block.type === 'thinking') blocks.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    else if (block.type === 'redacted_thinking') blocks.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'tool_use') toolCallIds.push(block.id);
  }
  return blocks.length > 0 && toolCallIds.length > 0 ? { toolCallIds, blocks } : null;
}

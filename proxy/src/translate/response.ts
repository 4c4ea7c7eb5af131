// Non-streaming Anthropic Message → OpenAI ChatCompletion.
import type { ContentBlock, Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion, ChatCompletionMessage } from 'openai/resources/chat/completions';
import { toFinishReason } from './finish-reason.ts';
import { legacyFinish, legacyMessage } from './legacy-functions.ts';
import { toReasoningDetail, type ReasoningDetail } from './reasoning-details.ts';
import type { KeptThinkingBlock, ThinkingCarry } from './thinking.ts';
import { toOpenAIUsage, type OpenAIUsage } from './usage.ts';

export interface ResponseContext {
  /** 'chatcmpl-…', from the caller's injected id generator. */
  id: string;
  /** Unix seconds, from the caller's injected clock. */
  created: number;
  /** The model id to report back to the client. */
  model: string;
  /** Stable per gateway build, e.g. 'fp_cg_0_1_0'. */
  systemFingerprint: string;
  /** Calls to these tools carry their raw text (`input.input`) in `arguments` instead of JSON. */
  customToolNames?: readonly string[];
  /**
   * Seals a block of this answer with what it is bound to: when set, the signed blocks go to the client as
   * `reasoning_details` (the seal as their id), so it can carry them back.
   */
  sealThinking?: (block: KeptThinkingBlock) => string;
  /** The request used legacy `functions`: the call comes back as `function_call`. */
  legacyFunctions?: boolean;
}

export interface FunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** OpenAI's assistant message plus the `reasoning_content` that Cline, Roo and others read. */
export interface GatewayAssistantMessage extends ChatCompletionMessage {
  reasoning_content?: string;
  reasoning_details?: ReasoningDetail[];
  tool_calls?: FunctionToolCall[];
}

export interface GatewayChatCompletion extends ChatCompletion {
  choices: Array<Omit<ChatCompletion.Choice, 'message'> & { message: GatewayAssistantMessage }>;
  system_fingerprint: string;
  usage: OpenAIUsage;
}

export interface TranslatedResponse {
  completion: GatewayChatCompletion;
  /** Thinking blocks to replay on the next tool turn, or null when this turn has none or made no tool calls. */
  thinking: ThinkingCarry | null;
}

export function toChatCompletion(message: Message, ctx: ResponseContext): TranslatedResponse {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const kept: KeptThinkingBlock[] = [];
  const toolCalls: FunctionToolCall[] = [];

  for (const block of message.content as readonly ContentBlock[]) {
    switch (block.type) {
      case 'text':
        texts.push(block.text);
        break;
      case 'thinking':
        if (block.thinking) reasoning.push(block.thinking);
        kept.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
        break;
      case 'redacted_thinking':
        kept.push({ type: 'redacted_thinking', data: block.data });
        break;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: toolArguments(block.name, block.input, ctx.customToolNames) },
        });
        break;
      default:
        // Server tool calls and their results ran upstream; they are not calls for the client to make.
        break;
    }
  }

  const assistant: GatewayAssistantMessage = {
    role: 'assistant',
    // Text blocks are consecutive parts of one answer (a stream concatenates them the same way).
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
    refusal: null,
  };
  if (reasoning.length > 0) assistant.reasoning_content = reasoning.join('');
  const seal = ctx.sealThinking;
  if (kept.length > 0 && seal) assistant.reasoning_details = kept.map((block, i) => toReasoningDetail(block, i, seal(block)));
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;

  const completion: GatewayChatCompletion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: ctx.systemFingerprint,
    choices: [
      ctx.legacyFunctions
        ? { index: 0, message: legacyMessage(assistant) as GatewayAssistantMessage, logprobs: null, finish_reason: legacyFinish(toFinishReason(message.stop_reason)) }
        : { index: 0, message: assistant, logprobs: null, finish_reason: toFinishReason(message.stop_reason) },
    ],
    usage: toOpenAIUsage(message.usage ?? {}),
  };

  const thinking =
    toolCalls.length > 0 && kept.length > 0 ? { toolCallIds: toolCalls.map((call) => call.id), blocks: kept } : null;
  return { completion, thinking };
}

/** `arguments` for a tool call: JSON of the input, or for a custom tool the raw text it was given. */
export function toolArguments(name: string, input: unknown, customToolNames?: readonly string[]): string {
  if (customToolNames?.includes(name)) {
    const raw = customToolText(input);
    if (raw !== undefined) return raw;
  }
  return JSON.stringify(input ?? {});
}

/** Custom (free-text) tools are offered to Claude as `{input: string}`; the client wants that string back. */
export function customToolText(input: unknown): string | undefined {
  if (input !== null && typeof input === 'object' && typeof (input as { input?: unknown }).input === 'string') {
    return (input as { input: string }).input;
  }
  return undefined;
}

// The stream transducer: Anthropic stream events in, OpenAI chat.completion.chunk objects out.
// A small state machine, fed one decoded event at a time; it never sees bytes, a clock or the network. The
// message itself (thinking and signatures, tool JSON, usage) is built by the shared fold; this only decides
// what the client sees when.
import type { RawContentBlockDeltaEvent, RawContentBlockStartEvent, RawMessageDeltaEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { GatewayError, type OpenAIErrorBody } from '../errors.ts';
import { toFinishReason, type OpenAIFinishReason } from './finish-reason.ts';
import { customToolText, type ResponseContext } from './response.ts';
import { legacyDelta, legacyFinish } from './legacy-functions.ts';
import { toReasoningDetail, type ReasoningDetail } from './reasoning-details.ts';
import type { KeptThinkingBlock, ThinkingCarry } from './thinking.ts';
import { emptySnapshot, foldEvent, type AnthropicStreamEvent, type FoldedUsage } from './message-fold.ts';
import { fromAnthropicErrorEvent } from './upstream-error.ts';
import { toOpenAIUsage, type OpenAIUsage } from './usage.ts';

export interface ChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  reasoning_details?: ReasoningDetail[];
  tool_calls?: ChunkToolCall[];
  /** Legacy `functions` requests only. */
  function_call?: { name?: string; arguments: string };
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  logprobs: null;
  finish_reason: OpenAIFinishReason | null;
}

/** OpenAI's chunk with the gateway's additions (`reasoning_content`, Anthropic cache counters in usage). */
export interface GatewayChatCompletionChunk extends Omit<ChatCompletionChunk, 'choices' | 'usage'> {
  choices: ChunkChoice[];
  system_fingerprint: string;
  usage?: OpenAIUsage;
}

export type StreamOutput =
  | { kind: 'chunk'; chunk: GatewayChatCompletionChunk }
  /** The final frame of a failed stream; nothing follows it. */
  | { kind: 'error'; error: OpenAIErrorBody; status: number };

export interface StreamContext extends ResponseContext {
  includeUsage: boolean;
}

type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking' }
  /** `startJson`: a custom tool's input sent whole in its content_block_start, before any streamed JSON. */
  | { kind: 'tool'; index: number; custom: boolean; startJson: string; sentArguments: boolean }
  | { kind: 'ignored' };

const TEXT_BLOCK: BlockState = { kind: 'text' };
const THINKING_BLOCK: BlockState = { kind: 'thinking' };
const IGNORED_BLOCK: BlockState = { kind: 'ignored' };

export class StreamTransducer {
  private readonly id: string;
  private readonly created: number;
  private readonly model: string;
  private readonly fingerprint: string;
  private readonly includeUsage: boolean;
  private readonly customToolNames: readonly string[];
  /** Set when the client gets each signed block as a sealed `reasoning_details` entry. */
  private readonly sealThinking: ((block: KeptThinkingBlock) => string) | undefined;
  private readonly legacyFunctions: boolean;

  /** Open content blocks by Anthropic block index. */
  private readonly blocks: Array<BlockState | undefined> = [];
  /** OpenAI tool call indexes count tool calls only, not Anthropic content blocks. */
  private toolCount = 0;
  private roleSent = false;
  private finish: OpenAIFinishReason | null = null;
  private finished = false;

  private readonly keptThinking: KeptThinkingBlock[] = [];
  private readonly toolCallIds: string[] = [];
  private readonly snapshot = emptySnapshot();

  constructor(ctx: StreamContext) {
    this.id = ctx.id;
    this.created = ctx.created;
    this.model = ctx.model;
    this.fingerprint = ctx.systemFingerprint;
    this.includeUsage = ctx.includeUsage;
    this.customToolNames = ctx.customToolNames ?? [];
    this.sealThinking = ctx.sealThinking;
    this.legacyFunctions = ctx.legacyFunctions === true;
  }

  /** True once message_stop was seen or an error frame was emitted; later events are ignored. */
  get done(): boolean {
    return this.finished;
  }

  push(event: AnthropicStreamEvent): StreamOutput[] {
    const out: StreamOutput[] = [];
    if (this.finished || event == null) return out;
    foldEvent(this.snapshot, event);
    switch ((event as { type: string }).type) {
      case 'message_start':
        this.ensureRole(out);
        break;
      case 'content_block_start':
        this.onBlockStart(event as RawContentBlockStartEvent, out);
        break;
      case 'content_block_delta':
        this.onBlockDelta(event as RawContentBlockDeltaEvent, out);
        break;
      case 'content_block_stop':
        this.onBlockStop((event as { index: number }).index, out);
        break;
      case 'message_delta':
        this.onMessageDelta(event as RawMessageDeltaEvent, out);
        break;
      case 'message_stop':
        this.onMessageStop(out);
        break;
      case 'error':
        this.fail(fromAnthropicErrorEvent((event as { error: { type: string; message: string } }).error), out);
        break;
      default:
        break; // ping, and event types added after this was written
    }
    return out;
  }

  /** The upstream body ended. Without message_stop the answer is incomplete, which the client must learn. */
  end(): StreamOutput[] {
    const out: StreamOutput[] = [];
    if (this.finished) return out;
    this.fail(
      new GatewayError({
        status: 502,
        type: 'server_error',
        code: 'upstream_stream_ended',
        message: 'The upstream stream ended before the response was complete.',
      }),
      out,
    );
    return out;
  }

  thinking(): ThinkingCarry | null {
    if (this.toolCallIds.length === 0 || this.keptThinking.length === 0) return null;
    return { toolCallIds: [...this.toolCallIds], blocks: [...this.keptThinking] };
  }

  usage(): OpenAIUsage | null {
    const usage = this.snapshot.usage;
    return usage ? toOpenAIUsage(usage) : null;
  }

  /** Anthropic's own usage, merged over the stream (for the request record); undefined when none came. */
  anthropicUsage(): FoldedUsage | undefined {
    return this.snapshot.usage;
  }

  finishReason(): string | null {
    return this.finish;
  }

  private onBlockStart(event: RawContentBlockStartEvent, out: StreamOutput[]): void {
    const block = event.content_block;
    switch (block?.type) {
      case 'text':
        this.blocks[event.index] = TEXT_BLOCK;
        if (block.text) this.emit({ content: block.text }, out);
        break;
      case 'thinking':
        this.blocks[event.index] = THINKING_BLOCK;
        if (block.thinking) this.emit({ reasoning_content: block.thinking }, out);
        break;
      case 'redacted_thinking':
        // Complete on arrival: no deltas follow; the client sees it only as an opaque reasoning detail.
        this.keepThinking({ type: 'redacted_thinking', data: block.data }, out);
        this.blocks[event.index] = IGNORED_BLOCK;
        break;
      case 'tool_use':
        this.startToolCall(event.index, block.id, block.name, block.input, out);
        break;
      default:
        // Server tools (web search, code execution …) ran upstream; unknown block types are skipped.
        this.blocks[event.index] = IGNORED_BLOCK;
        break;
    }
  }

  private startToolCall(blockIndex: number, id: string, name: string, input: unknown, out: StreamOutput[]): void {
    const state: BlockState = {
      kind: 'tool',
      index: this.toolCount++,
      custom: this.customToolNames.includes(name),
      startJson: '',
      sentArguments: false,
    };
    this.blocks[blockIndex] = state;
    this.toolCallIds.push(id);
    this.emit({ tool_calls: [{ index: state.index, id, type: 'function', function: { name, arguments: '' } }] }, out);
    // Anthropic starts with `input: {}` and streams the JSON; a server that sends the input whole is honoured too.
    if (input !== null && typeof input === 'object' && Object.keys(input).length > 0) {
      if (state.custom) state.startJson = JSON.stringify(input);
      else this.addArguments(state, JSON.stringify(input), out);
    }
  }

  private onBlockDelta(event: RawContentBlockDeltaEvent, out: StreamOutput[]): void {
    const state = this.blocks[event.index];
    const delta = event.delta;
    if (state === undefined || delta == null) return;
    switch (delta.type) {
      case 'text_delta':
        if (state.kind === 'text' && delta.text) this.emit({ content: delta.text }, out);
        break;
      case 'thinking_delta':
        if (state.kind === 'thinking' && delta.thinking) this.emit({ reasoning_content: delta.thinking }, out);
        break;
      case 'signature_delta':
        break; // kept by the fold, never shown
      case 'input_json_delta':
        if (state.kind === 'tool' && delta.partial_json) this.addArguments(state, delta.partial_json, out);
        break;
      default:
        break; // citations and delta types added later
    }
  }

  private addArguments(state: BlockState & { kind: 'tool' }, fragment: string, out: StreamOutput[]): void {
    // A custom tool's raw text is only known once the whole JSON wrapper has arrived (the fold joins it).
    if (state.custom) return;
    state.sentArguments = true;
    this.emit({ tool_calls: [{ index: state.index, function: { arguments: fragment } }] }, out);
  }

  private onBlockStop(blockIndex: number, out: StreamOutput[]): void {
    const state = this.blocks[blockIndex];
    this.blocks[blockIndex] = undefined;
    if (state === undefined) return;
    const block = this.snapshot.blocks[blockIndex];
    if (state.kind === 'thinking' && block?.type === 'thinking') {
      this.keepThinking({ type: 'thinking', thinking: block.thinking, signature: block.signature }, out);
    } else if (state.kind === 'tool') {
      const args = state.custom ? customArguments(state.startJson + (this.snapshot.json[blockIndex] ?? '')) : state.sentArguments ? '' : '{}';
      // A call without parameters still owes the client parseable arguments.
      if (args) this.emit({ tool_calls: [{ index: state.index, function: { arguments: args } }] }, out);
    }
  }

  private keepThinking(block: KeptThinkingBlock, out: StreamOutput[]): void {
    this.keptThinking.push(block);
    if (!this.sealThinking) return;
    this.emit({ reasoning_details: [toReasoningDetail(block, this.keptThinking.length - 1, this.sealThinking(block))] }, out);
  }

  private onMessageDelta(event: RawMessageDeltaEvent, out: StreamOutput[]): void {
    const stop = event.delta?.stop_reason;
    if (stop != null && this.finish === null) this.emitFinish(toFinishReason(stop), out);
  }

  private onMessageStop(out: StreamOutput[]): void {
    if (this.finish === null) this.emitFinish('stop', out);
    this.finished = true;
    if (this.includeUsage) out.push(this.envelope([], this.usage() ?? toOpenAIUsage({})));
  }

  private fail(error: GatewayError, out: StreamOutput[]): void {
    this.finished = true;
    out.push({ kind: 'error', error: error.toJSON(), status: error.status });
  }

  private emitFinish(reason: OpenAIFinishReason, out: StreamOutput[]): void {
    this.finish = reason;
    this.ensureRole(out);
    out.push(this.chunk({}, reason));
  }

  private emit(delta: ChunkDelta, out: StreamOutput[]): void {
    if (this.legacyFunctions && legacyDelta(delta) === undefined) return;
    this.ensureRole(out);
    out.push(this.chunk(delta, null));
  }

  private ensureRole(out: StreamOutput[]): void {
    if (this.roleSent) return;
    this.roleSent = true;
    out.push(this.chunk({ role: 'assistant', content: '' }, null));
  }

  private chunk(delta: ChunkDelta, finishReason: OpenAIFinishReason | null): StreamOutput {
    if (this.legacyFunctions) {
      // Legacy `functions` clients read delta.function_call; a delta left empty still carries its finish.
      const legacy = legacyDelta(delta) ?? {};
      return this.envelope([{ index: 0, delta: legacy as ChunkDelta, logprobs: null, finish_reason: finishReason && legacyFinish(finishReason) }]);
    }
    return this.envelope([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
  }

  /** Every chunk of a stream shares its id, time, model and fingerprint; only the usage chunk carries usage. */
  private envelope(choices: GatewayChatCompletionChunk['choices'], usage?: OpenAIUsage): StreamOutput {
    const chunk: GatewayChatCompletionChunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: this.fingerprint,
      choices,
    };
    if (usage) chunk.usage = usage;
    return { kind: 'chunk', chunk };
  }
}

/** A custom tool's arguments: the raw `input` text inside the streamed JSON wrapper. */
function customArguments(json: string): string {
  if (!json) return '{}';
  try {
    return customToolText(JSON.parse(json)) ?? json;
  } catch {
    return json; // malformed upstream JSON: pass it through rather than lose it
  }
}

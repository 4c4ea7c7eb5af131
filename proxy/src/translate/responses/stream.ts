// Anthropic stream events → the Responses API event sequence, each with its `sequence_number`. A small state
// machine fed one decoded event at a time: no clock (the finish time is passed in), no ids of its own (they
// come from the context), no network. The final `response.completed` carries the same object the
// non-streaming path builds (output.ts), from the same fold of the events, so both paths agree.
import type { Message, RawContentBlockDeltaEvent, RawContentBlockStartEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { GatewayError } from '../../errors.ts';
import { emptySnapshot, foldEvent, snapshotContent, type AnthropicStreamEvent, type FoldedUsage } from '../message-fold.ts';
import { fromAnthropicErrorEvent } from '../upstream-error.ts';
import { failureCode } from './failure.ts';
import { itemId, messageItem, outputItem, reasoningItem, responseObject, textPart, toResponse, withoutSealed, type OutputItem, type ResponsesContext } from './output.ts';
import { clientToolName } from './tool-names.ts';

export type ResponsesEvent = Record<string, unknown> & { type: string; sequence_number: number };
type StartedBlock = RawContentBlockStartEvent['content_block'];
type BlockDelta = RawContentBlockDeltaEvent['delta'];

type Open =
  | { kind: 'text'; id: string; output: number; text: string }
  | { kind: 'reasoning'; id: string; output: number; text: string; partOpen: boolean }
  | { kind: 'function'; id: string; output: number; json: string }
  | { kind: 'custom'; id: string; output: number; json: string }
  | { kind: 'other' };

export class ResponsesStreamTransducer {
  private sequence = 0;
  private outputCount = 0;
  private readonly open = new Map<number, Open>();
  private readonly snapshot = emptySnapshot();
  private readonly items: OutputItem[] = [];
  private started = false;
  private finished = false;
  private final: Record<string, unknown> | undefined;
  private failure: GatewayError | undefined;

  constructor(
    private readonly ctx: ResponsesContext,
    private readonly includeEncrypted: boolean,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  /** The finished response (with sealed reasoning), once the stream completed or failed. */
  response(): Record<string, unknown> | undefined {
    return this.final;
  }

  /** Usage as far as the upstream reported it (what was billed, even for a stream that broke off). */
  usage(): FoldedUsage | undefined {
    return this.snapshot.usage;
  }

  /** The error the stream failed with, if it did. */
  failedWith(): GatewayError | undefined {
    return this.failure;
  }

  /**
   * The upstream message, once message_stop arrived. A tool input whose JSON did not parse stays `{}` in it;
   * the client got the text as streamed, and the response cache never keeps such a message (message-fold.ts).
   */
  message(): Message | undefined {
    const s = this.snapshot;
    if (!s.start || !s.stopped) return undefined;
    return {
      ...s.start,
      content: snapshotContent(s),
      stop_reason: s.stopReason ?? s.start.stop_reason,
      stop_sequence: s.stopSequence ?? s.start.stop_sequence,
      usage: { ...s.start.usage, ...s.usage } as Usage,
    };
  }

  push(event: AnthropicStreamEvent, now: number): ResponsesEvent[] {
    const out: ResponsesEvent[] = [];
    if (this.finished || !event) return out;
    foldEvent(this.snapshot, event);
    this.start(out);
    switch (event.type) {
      case 'content_block_start':
        this.onStart(event.index, event.content_block, out);
        break;
      case 'content_block_delta':
        this.onDelta(event.index, event.delta, out);
        break;
      case 'content_block_stop':
        this.onStop(event.index, out);
        break;
      case 'message_stop':
        this.complete(now, out);
        break;
      case 'error':
        this.fail(fromAnthropicErrorEvent(event.error), out);
        break;
      default:
        break; // message_start, message_delta (folded above), ping, and types added later
    }
    return out;
  }

  /** The upstream ended without message_stop, or broke off: the response failed. */
  fail(error: GatewayError, out: ResponsesEvent[] = []): ResponsesEvent[] {
    if (this.finished) return out;
    this.start(out);
    this.finished = true;
    this.failure = error;
    const failure = { code: failureCode(error), message: error.message };
    this.final = responseObject(this.ctx, { status: 'failed', output: this.items, error: failure });
    this.emit(out, { type: 'response.failed', response: this.visible(this.final) });
    return out;
  }

  private start(out: ResponsesEvent[]): void {
    if (this.started) return;
    this.started = true;
    const response = responseObject(this.ctx, { status: 'in_progress', output: [] });
    this.emit(out, { type: 'response.created', response });
    this.emit(out, { type: 'response.in_progress', response });
  }

  private onStart(index: number, block: StartedBlock | undefined, out: ResponsesEvent[]): void {
    const output = this.outputCount;
    let state: Open;
    let item: OutputItem;
    switch (block?.type) {
      case 'text':
        state = { kind: 'text', id: itemId(this.ctx, 'msg', index), output, text: '' };
        item = messageItem(state.id, '', 'in_progress');
        break;
      case 'thinking':
      case 'redacted_thinking':
        state = { kind: 'reasoning', id: itemId(this.ctx, 'rs', index), output, text: '', partOpen: false };
        item = reasoningItem(state.id, '');
        break;
      case 'tool_use':
        state = this.toolState(index, block, output);
        item = this.openToolItem(state, block);
        break;
      default:
        this.open.set(index, { kind: 'other' });
        return;
    }
    this.outputCount += 1;
    this.open.set(index, state);
    this.emit(out, { type: 'response.output_item.added', output_index: output, item });
    if (state.kind === 'text') {
      this.emit(out, { type: 'response.content_part.added', item_id: state.id, output_index: output, content_index: 0, part: textPart('') });
      if (block?.type === 'text' && block.text) this.onDelta(index, { type: 'text_delta', text: block.text }, out);
    }
  }

  private toolState(index: number, block: { name: string }, output: number): Open {
    const custom = this.ctx.customToolNames.includes(block.name);
    return custom ? { kind: 'custom', id: itemId(this.ctx, 'ctc', index), output, json: '' } : { kind: 'function', id: itemId(this.ctx, 'fc', index), output, json: '' };
  }

  private openToolItem(state: Open, block: { id: string; name: string }): OutputItem {
    const { name, namespace } = clientToolName(block.name, this.ctx.namespaced);
    const base = { id: (state as { id: string }).id, call_id: block.id, name, ...(namespace && { namespace }) };
    if (state.kind === 'custom') return { type: 'custom_tool_call', ...base, input: '' };
    return { type: 'function_call', ...base, arguments: '', status: 'in_progress' };
  }

  private onDelta(index: number, delta: BlockDelta | undefined, out: ResponsesEvent[]): void {
    const state = this.open.get(index);
    if (!state || !delta) return;
    if (state.kind === 'text' && delta.type === 'text_delta' && delta.text) {
      state.text += delta.text;
      this.emit(out, { type: 'response.output_text.delta', item_id: state.id, output_index: state.output, content_index: 0, delta: delta.text, logprobs: [] });
    } else if (state.kind === 'reasoning' && delta.type === 'thinking_delta' && delta.thinking) {
      if (!state.partOpen) {
        state.partOpen = true;
        this.emit(out, { type: 'response.reasoning_summary_part.added', item_id: state.id, output_index: state.output, summary_index: 0, part: { type: 'summary_text', text: '' } });
      }
      state.text += delta.thinking;
      this.emit(out, { type: 'response.reasoning_summary_text.delta', item_id: state.id, output_index: state.output, summary_index: 0, delta: delta.thinking });
    } else if ((state.kind === 'function' || state.kind === 'custom') && delta.type === 'input_json_delta') {
      state.json += delta.partial_json ?? '';
      // A free-text tool's text sits inside a JSON wrapper: it is sent whole once the block is complete.
      if (state.kind === 'function' && delta.partial_json) {
        this.emit(out, { type: 'response.function_call_arguments.delta', item_id: state.id, output_index: state.output, delta: delta.partial_json });
      }
    }
  }

  private onStop(index: number, out: ResponsesEvent[]): void {
    const state = this.open.get(index);
    this.open.delete(index);
    if (!state || state.kind === 'other') return;
    const block = this.snapshot.blocks[index];
    const item = block ? outputItem(block, index, this.ctx) : undefined;
    if (!item) return;
    // Arguments that are not valid JSON reach the client exactly as Claude streamed them.
    if (state.kind === 'function' && this.snapshot.malformedInput.includes(index)) item.arguments = state.json;
    const at = { item_id: state.id, output_index: state.output };
    if (state.kind === 'text') {
      this.emit(out, { type: 'response.output_text.done', ...at, content_index: 0, text: state.text, logprobs: [] });
      this.emit(out, { type: 'response.content_part.done', ...at, content_index: 0, part: textPart(state.text) });
    } else if (state.kind === 'reasoning' && state.partOpen) {
      this.emit(out, { type: 'response.reasoning_summary_text.done', ...at, summary_index: 0, text: state.text });
      this.emit(out, { type: 'response.reasoning_summary_part.done', ...at, summary_index: 0, part: { type: 'summary_text', text: state.text } });
    } else if (state.kind === 'function') {
      this.emit(out, { type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.arguments });
    } else if (state.kind === 'custom') {
      const input = String(item.input ?? '');
      if (input !== '') this.emit(out, { type: 'response.custom_tool_call_input.delta', ...at, delta: input });
      this.emit(out, { type: 'response.custom_tool_call_input.done', ...at, input });
    }
    this.items.push(item);
    this.emit(out, { type: 'response.output_item.done', output_index: state.output, item: this.includeEncrypted ? item : withoutSealed(item) });
  }

  private complete(now: number, out: ResponsesEvent[]): void {
    const message = this.message();
    if (!message) return;
    this.finished = true;
    // The items as streamed: the same the message gives, except arguments that were not JSON (kept as sent).
    this.final = { ...toResponse(message, this.ctx, now), output: this.items };
    const type = this.final.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    this.emit(out, { type, response: this.visible(this.final) });
  }

  private visible(response: Record<string, unknown>): Record<string, unknown> {
    if (this.includeEncrypted) return response;
    return { ...response, output: (response.output as unknown[]).map(withoutSealed) };
  }

  private emit(out: ResponsesEvent[], event: Record<string, unknown> & { type: string }): void {
    out.push({ ...event, sequence_number: this.sequence++ });
  }
}

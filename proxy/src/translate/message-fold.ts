// One fold of Anthropic stream events into a message snapshot: the only place that knows how events become a
// message. The stream transducer, the message accumulator (response cache), the plugin-tool rounds and the
// pass-through usage tap all fold with it. Pure; `foldEvent` updates the snapshot in place and returns it.
//
// Two rules from Anthropic's streaming docs: a thinking block's signature arrives whole in one signature_delta
// just before content_block_stop (it replaces, never appends); a tool's input arrives as partial JSON strings to
// be joined and parsed at content_block_stop, and is always an object. JSON that does not parse leaves the
// block's input as it started (`{}`) and is listed in `malformedInput`, so a consumer can refuse to keep it.
import type { ContentBlock, Message, MessageDeltaUsage, RawMessageStreamEvent, StopReason, Usage } from '@anthropic-ai/sdk/resources/messages';

/** Every event an Anthropic Messages stream carries. */
export type AnthropicStreamEvent =
  | RawMessageStreamEvent
  | { type: 'error'; error: { type: string; message: string } }
  | { type: 'ping' };

/** Usage merged over message_start and every message_delta (whose counts are cumulative); nulls never overwrite. */
export type FoldedUsage = Partial<Usage> & Partial<MessageDeltaUsage>;

export interface MessageSnapshot {
  /** message_start's message (content empty); undefined before it. */
  start: Message | undefined;
  /** Content blocks by their index, as they grow. */
  blocks: Array<ContentBlock | undefined>;
  /** Blocks whose content_block_stop arrived. */
  closed: boolean[];
  /** The partial JSON of tool blocks, joined, by index (kept after the stop: a custom tool's raw text). */
  json: Array<string | undefined>;
  /** Indexes of tool blocks whose joined JSON did not parse. */
  malformedInput: number[];
  usage: FoldedUsage | undefined;
  stopReason: StopReason | null;
  stopSequence: string | null;
  /** message_stop arrived: the message is complete. */
  stopped: boolean;
  /** An error event arrived. */
  error: { type: string; message: string } | undefined;
}

export function emptySnapshot(): MessageSnapshot {
  return { start: undefined, blocks: [], closed: [], json: [], malformedInput: [], usage: undefined, stopReason: null, stopSequence: null, stopped: false, error: undefined };
}

export function foldEvent(snapshot: MessageSnapshot, event: AnthropicStreamEvent): MessageSnapshot {
  if (event == null || snapshot.stopped) return snapshot;
  switch (event.type) {
    case 'message_start':
      snapshot.start = { ...event.message, content: [] };
      mergeUsage(snapshot, event.message?.usage);
      return snapshot;
    case 'content_block_start':
      if (typeof event.index === 'number' && event.content_block) snapshot.blocks[event.index] = { ...event.content_block } as ContentBlock;
      return snapshot;
    case 'content_block_delta':
      foldDelta(snapshot, event.index, event.delta);
      return snapshot;
    case 'content_block_stop':
      closeBlock(snapshot, event.index);
      return snapshot;
    case 'message_delta':
      if (event.delta?.stop_reason != null) snapshot.stopReason = event.delta.stop_reason;
      if (event.delta?.stop_sequence != null) snapshot.stopSequence = event.delta.stop_sequence;
      mergeUsage(snapshot, event.usage);
      return snapshot;
    case 'message_stop':
      snapshot.stopped = true;
      return snapshot;
    case 'error':
      snapshot.error = event.error;
      return snapshot;
    case 'ping':
      return snapshot;
    default: {
      // Anthropic may add event types: they are ignored on purpose, and a new known one fails the compile here.
      const unknown: never = event;
      return unknown;
    }
  }
}

type Delta = Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta'];

function foldDelta(snapshot: MessageSnapshot, index: number, delta: Delta): void {
  const block = snapshot.blocks[index] as (ContentBlock & Record<string, unknown>) | undefined;
  if (!block || !delta || snapshot.closed[index]) return;
  switch (delta.type) {
    case 'text_delta':
      if (block.type === 'text') block.text += delta.text ?? '';
      return;
    case 'thinking_delta':
      if (block.type === 'thinking') block.thinking += delta.thinking ?? '';
      return;
    case 'signature_delta':
      if (block.type === 'thinking') block.signature = delta.signature ?? '';
      return;
    case 'input_json_delta':
      if ('input' in block) snapshot.json[index] = (snapshot.json[index] ?? '') + (delta.partial_json ?? '');
      return;
    case 'citations_delta':
      if (block.type === 'text') block.citations = [...(block.citations ?? []), delta.citation];
      return;
    default: {
      const unknown: never = delta;
      return unknown;
    }
  }
}

function closeBlock(snapshot: MessageSnapshot, index: number): void {
  const block = snapshot.blocks[index] as (ContentBlock & { input?: unknown }) | undefined;
  if (!block || snapshot.closed[index]) return;
  snapshot.closed[index] = true;
  const json = snapshot.json[index];
  if (json === undefined || json === '' || !('input' in block)) return;
  try {
    const input: unknown = JSON.parse(json);
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) block.input = input;
    else snapshot.malformedInput.push(index);
  } catch {
    snapshot.malformedInput.push(index);
  }
}

function mergeUsage(snapshot: MessageSnapshot, usage: object | null | undefined): void {
  if (!usage || typeof usage !== 'object') return;
  const merged: Record<string, unknown> = { ...snapshot.usage };
  for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) merged[key] = value;
  snapshot.usage = merged as FoldedUsage;
}

/** The content so far, in index order. */
export function snapshotContent(snapshot: MessageSnapshot): ContentBlock[] {
  return snapshot.blocks.filter((block): block is ContentBlock => block !== undefined);
}

/** The whole message once message_stop arrived and every tool input parsed; undefined otherwise. */
export function snapshotMessage(snapshot: MessageSnapshot): Message | undefined {
  if (!snapshot.start || !snapshot.stopped || snapshot.malformedInput.length > 0) return undefined;
  return {
    ...snapshot.start,
    content: snapshotContent(snapshot),
    stop_reason: snapshot.stopReason ?? snapshot.start.stop_reason,
    stop_sequence: snapshot.stopSequence ?? snapshot.start.stop_sequence,
    usage: { ...snapshot.start.usage, ...snapshot.usage } as Usage,
  };
}

// The server-sent events of one streamed message, in the wire order of "Streaming Messages"
// (platform.claude.com): message_start (empty content, usage with the input and cache counts and a small
// output count), a ping after the first content_block_start, then per block content_block_start, deltas and
// content_block_stop, then message_delta (stop reason and cumulative usage) and message_stop.
// Text and thinking arrive in pieces of varying size (sometimes mid-word, sometimes several words); tool
// input arrives as partial_json fragments cut at arbitrary points, the first one empty; a thinking block
// ends with one signature_delta; a redacted thinking block arrives whole in its content_block_start.
import type { BuiltMessage, OutBlock, UsageJson } from './message-builder.ts';
import { stopDetails } from './message-builder.ts';
import type { Rng } from './rng.ts';

export interface SseEvent {
  event: string;
  /** Serialized data line. */
  data: string;
  /** Counts toward errorEventAfter: block starts, deltas and stops. */
  content: boolean;
}

export const PING_DATA = '{"type": "ping"}';

function event(name: string, data: unknown, content = false): SseEvent {
  return { event: name, data: JSON.stringify(data), content };
}

/** Splits prose the way a model streams it: a few words at a time, now and then in the middle of a word. */
export function splitText(text: string, rng: Rng): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end: number;
    if (rng.next() < 0.3) {
      end = at + rng.int(1, 8);
    } else {
      end = at;
      const words = rng.int(1, 4);
      for (let w = 0; w < words && end < text.length; w++) {
        while (end < text.length && /\s/.test(text[end]!)) end++;
        while (end < text.length && !/\s/.test(text[end]!)) end++;
      }
    }
    end = Math.min(text.length, Math.max(end, at + 1));
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

/** Cuts serialized JSON at arbitrary points, leading with an empty fragment as the API does. */
export function splitJson(json: string, rng: Rng): string[] {
  const pieces = [''];
  let at = 0;
  while (at < json.length) {
    const end = Math.min(json.length, at + rng.int(1, 12));
    pieces.push(json.slice(at, end));
    at = end;
  }
  return pieces;
}

/** JSON the way the model writes tool input: a space after every colon and comma. */
export function modelJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(modelJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${modelJson(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}

function blockEvents(block: OutBlock, index: number, rng: Rng): SseEvent[] {
  const start = (content_block: unknown) => event('content_block_start', { type: 'content_block_start', index, content_block }, true);
  const delta = (d: unknown) => event('content_block_delta', { type: 'content_block_delta', index, delta: d }, true);
  const out: SseEvent[] = [];
  switch (block.type) {
    case 'text':
      out.push(start({ type: 'text', text: '' }));
      for (const text of splitText(block.text, rng)) out.push(delta({ type: 'text_delta', text }));
      break;
    case 'tool_use':
      out.push(start({ type: 'tool_use', id: block.id, name: block.name, input: {} }));
      for (const partial_json of splitJson(modelJson(block.input), rng)) out.push(delta({ type: 'input_json_delta', partial_json }));
      break;
    case 'thinking':
      out.push(start({ type: 'thinking', thinking: '', signature: '' }));
      for (const thinking of splitText(block.thinking, rng)) out.push(delta({ type: 'thinking_delta', thinking }));
      out.push(delta({ type: 'signature_delta', signature: block.signature }));
      break;
    case 'redacted_thinking':
      out.push(start({ type: 'redacted_thinking', data: block.data }));
      break;
  }
  out.push(event('content_block_stop', { type: 'content_block_stop', index }, true));
  return out;
}

export function streamEvents(built: BuiltMessage, usage: UsageJson, rng: Rng): SseEvent[] {
  const events: SseEvent[] = [
    event('message_start', {
      type: 'message_start',
      message: {
        id: built.id,
        type: 'message',
        role: 'assistant',
        model: built.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: Math.min(1, built.outputTokens) },
        ...(built.transformations && { input_transformations: built.transformations }),
      },
    }),
  ];
  const ping: SseEvent = { event: 'ping', data: PING_DATA, content: false };
  if (built.content.length === 0) events.push(ping);
  built.content.forEach((block, index) => {
    const blockEvts = blockEvents(block, index, rng);
    events.push(...(index === 0 ? [blockEvts[0]!, ping, ...blockEvts.slice(1)] : blockEvts));
  });
  events.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: built.stopReason, stop_sequence: built.stopSequence, ...stopDetails(built.stopReason) },
      // Cumulative totals, as the current API sends them (the SDK overwrites its snapshot with each one).
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: built.outputTokens,
      },
    }),
    event('message_stop', { type: 'message_stop' }),
  );
  return events;
}

export function formatEvent(e: { event: string; data: string }): string {
  return `event: ${e.event}\ndata: ${e.data}\n\n`;
}

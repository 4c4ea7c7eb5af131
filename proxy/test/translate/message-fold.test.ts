// The one fold of Anthropic stream events: the rules it settles (signatures replace, tool JSON parses at the
// stop and must be an object, nulls never overwrite usage, unknown events are ignored), and every golden
// stream fixture folded whole and cut at every byte, agreeing with the fixture's expected thinking and usage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toFinishReason } from '../../src/translate/finish-reason.ts';
import { emptySnapshot, foldEvent, snapshotContent, snapshotMessage, type AnthropicStreamEvent, type MessageSnapshot } from '../../src/translate/message-fold.ts';
import { toOpenAIUsage } from '../../src/translate/usage.ts';
import type { SseEvent } from '../../src/upstream/sse-decoder.ts';
import { decodePieces, loadStreamFixture, streamFixtureNames } from './stream-harness.ts';

const ev = (value: unknown) => value as AnthropicStreamEvent;
const start = ev({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: null } } });
const blockStart = (index: number, content_block: unknown) => ev({ type: 'content_block_start', index, content_block });
const delta = (index: number, d: unknown) => ev({ type: 'content_block_delta', index, delta: d });
const stop = (index: number) => ev({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string | null, usage: unknown) => ev({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage });
const messageStop = ev({ type: 'message_stop' });

function fold(events: AnthropicStreamEvent[]): MessageSnapshot {
  const snapshot = emptySnapshot();
  for (const event of events) foldEvent(snapshot, event);
  return snapshot;
}

describe('foldEvent', () => {
  test('a whole message: text, thinking with its signature, a tool call, usage and stop reason', () => {
    const snapshot = fold([
      start,
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Look ' }),
      delta(0, { type: 'thinking_delta', thinking: 'first.' }),
      delta(0, { type: 'signature_delta', signature: 'sig-1' }),
      stop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'Reading.' }),
      stop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_1', name: 'read', input: {} }),
      delta(2, { type: 'input_json_delta', partial_json: '{"path":' }),
      delta(2, { type: 'input_json_delta', partial_json: '"a.ts"}' }),
      stop(2),
      messageDelta('tool_use', { output_tokens: 30 }),
      messageStop,
    ]);
    assert.deepEqual(snapshotMessage(snapshot), {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [
        { type: 'thinking', thinking: 'Look first.', signature: 'sig-1' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a.ts' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 30, cache_read_input_tokens: null },
    });
  });

  test('a signature_delta carries the whole signature: it replaces, never appends', () => {
    const snapshot = fold([start, blockStart(0, { type: 'thinking', thinking: 'x', signature: 'stale' }), delta(0, { type: 'signature_delta', signature: 'sig-2' }), stop(0)]);
    assert.deepEqual(snapshotContent(snapshot), [{ type: 'thinking', thinking: 'x', signature: 'sig-2' }]);
  });

  test('tool JSON that does not parse, or is not an object, leaves the input as started and is reported', () => {
    const snapshot = fold([
      start,
      blockStart(0, { type: 'tool_use', id: 't0', name: 'a', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"path": "a.ts"' }),
      stop(0),
      blockStart(1, { type: 'tool_use', id: 't1', name: 'b', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '[1, 2]' }),
      stop(1),
      messageDelta('tool_use', {}),
      messageStop,
    ]);
    assert.deepEqual(snapshot.malformedInput, [0, 1]);
    assert.deepEqual(snapshotContent(snapshot).map((b) => (b as { input: unknown }).input), [{}, {}]);
    assert.equal(snapshot.json[0], '{"path": "a.ts"', 'the raw text stays for a consumer that wants it');
    assert.equal(snapshotMessage(snapshot), undefined, 'a message with a broken tool input is never kept');
  });

  test('a server tool streams its input too; citations add up on their text block', () => {
    const citation = { type: 'web_search_result_location', url: 'https://example.com', title: 'E', encrypted_index: 'x', cited_text: 'c' };
    const snapshot = fold([
      start,
      blockStart(0, { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"query":"q"}' }),
      stop(0),
      blockStart(1, { type: 'text', text: '', citations: null }),
      delta(1, { type: 'citations_delta', citation }),
      delta(1, { type: 'text_delta', text: 'cited' }),
      stop(1),
    ]);
    assert.deepEqual(snapshotContent(snapshot), [
      { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'q' } },
      { type: 'text', text: 'cited', citations: [citation] },
    ]);
  });

  test('usage merges over message_start and message_delta; nulls never overwrite a count', () => {
    const snapshot = fold([start, messageDelta(null, { input_tokens: null, output_tokens: 7, cache_creation: { ephemeral_1h_input_tokens: 5 } })]);
    assert.deepEqual(snapshot.usage, { input_tokens: 10, output_tokens: 7, cache_creation: { ephemeral_1h_input_tokens: 5 } });
    assert.equal(snapshot.stopReason, null);
  });

  test('ping, unknown events, deltas to unknown or stopped blocks, and anything after message_stop change nothing', () => {
    const base = [start, blockStart(0, { type: 'text', text: 'a' }), stop(0)];
    const expected = fold([...base, messageStop]);
    const snapshot = fold([
      ...base,
      ev({ type: 'ping' }),
      ev({ type: 'brand_new_event', x: 1 }),
      ev(null),
      delta(0, { type: 'text_delta', text: 'late' }),
      delta(9, { type: 'text_delta', text: 'nowhere' }),
      delta(0, { type: 'brand_new_delta', x: 1 }),
      messageStop,
      blockStart(1, { type: 'text', text: 'after the end' }),
      messageDelta('end_turn', { output_tokens: 99 }),
    ]);
    assert.deepEqual(snapshot, expected);
  });

  test('an error event is kept; the message is incomplete', () => {
    const snapshot = fold([start, ev({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })]);
    assert.deepEqual(snapshot.error, { type: 'overloaded_error', message: 'Overloaded' });
    assert.equal(snapshotMessage(snapshot), undefined);
  });
});

function foldSse(events: readonly SseEvent[]): MessageSnapshot {
  const snapshot = emptySnapshot();
  for (const event of events) if (event.data !== '') foldEvent(snapshot, JSON.parse(event.data) as AnthropicStreamEvent);
  return snapshot;
}

describe('golden stream fixtures through the fold', () => {
  for (const name of streamFixtureNames()) {
    test(name, () => {
      const { bytes, expected } = loadStreamFixture(name);
      const whole = foldSse(decodePieces([bytes]));
      for (let cut = 0; cut <= bytes.length; cut += 7) {
        assert.deepEqual(foldSse(decodePieces([bytes.subarray(0, cut), bytes.subarray(cut)])), whole, `cut at ${cut}`);
      }
      if (expected.usage) assert.deepEqual(toOpenAIUsage(whole.usage ?? {}), expected.usage);
      if (expected.thinking) {
        const kept = snapshotContent(whole).filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
        assert.deepEqual(kept, expected.thinking.blocks);
      }
      if (whole.stopped && whole.stopReason && expected.finishReason) assert.equal(toFinishReason(whole.stopReason), expected.finishReason);
      if (whole.stopped && whole.malformedInput.length === 0) assert.ok(snapshotMessage(whole), 'a finished stream folds into a message');
    });
  }
});

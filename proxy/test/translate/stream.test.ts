import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  StreamTransducer,
  type GatewayChatCompletionChunk,
  type StreamOutput,
} from '../../src/translate/stream.ts';
import type { AnthropicStreamEvent } from '../../src/translate/message-fold.ts';
import { chunksOf, loadStreamFixture, runPieces, STREAM_FIXTURES, streamFixtureNames, TEST_CONTEXT } from './stream-harness.ts';

// The gateway's chunk must stay usable wherever the openai package's chunk type is expected.
const asOpenAIChunk = (chunk: GatewayChatCompletionChunk): ChatCompletionChunk => chunk;
void asOpenAIChunk;

const messageStart = (usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 }) =>
  ({
    type: 'message_start',
    message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content: [], stop_reason: null, stop_sequence: null, usage },
  }) as unknown as AnthropicStreamEvent;
const blockStart = (index: number, content_block: Record<string, unknown>) =>
  ({ type: 'content_block_start', index, content_block }) as unknown as AnthropicStreamEvent;
const blockDelta = (index: number, delta: Record<string, unknown>) =>
  ({ type: 'content_block_delta', index, delta }) as unknown as AnthropicStreamEvent;
const blockStop = (index: number) => ({ type: 'content_block_stop', index }) as AnthropicStreamEvent;
const messageDelta = (stop_reason: string | null, usage: Record<string, unknown> = { output_tokens: 5 }) =>
  ({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage }) as unknown as AnthropicStreamEvent;
const messageStop = { type: 'message_stop' } as AnthropicStreamEvent;

function feed(events: AnthropicStreamEvent[], options: { includeUsage?: boolean; customToolNames?: string[] } = {}) {
  const transducer = new StreamTransducer({ ...TEST_CONTEXT, includeUsage: options.includeUsage ?? false, ...options });
  const outputs: StreamOutput[] = [];
  for (const event of events) outputs.push(...transducer.push(event));
  outputs.push(...transducer.end());
  return { transducer, outputs };
}

const deltas = (outputs: StreamOutput[]) => chunksOf(outputs).map((chunk) => chunk.choices[0]?.delta);

describe('StreamTransducer', () => {
  test('every chunk of every fixture shares id, created, model, fingerprint and object; one role delta first', () => {
    for (const name of streamFixtureNames()) {
      const { bytes, expected } = loadStreamFixture(name);
      const { outputs } = runPieces([bytes], expected.options);
      const chunks = outputs.flatMap((output) => (output.kind === 'chunk' ? [output.chunk] : []));
      assert.ok(chunks.length > 0, name);
      for (const chunk of chunks) {
        assert.equal(chunk.id, TEST_CONTEXT.id, name);
        assert.equal(chunk.created, TEST_CONTEXT.created, name);
        assert.equal(chunk.model, TEST_CONTEXT.model, name);
        assert.equal(chunk.system_fingerprint, TEST_CONTEXT.systemFingerprint, name);
        assert.equal(chunk.object, 'chat.completion.chunk', name);
        for (const choice of chunk.choices) {
          assert.equal(choice.index, 0);
          assert.equal(choice.logprobs, null);
        }
      }
      assert.deepStrictEqual(chunks[0]!.choices[0]!.delta, { role: 'assistant', content: '' }, name);
      const roleDeltas = chunks.filter((chunk) => chunk.choices[0]?.delta.role !== undefined);
      assert.equal(roleDeltas.length, 1, `${name}: exactly one role delta`);
      // An error frame, when present, is the last output.
      const errorAt = outputs.findIndex((output) => output.kind === 'error');
      if (errorAt !== -1) assert.equal(errorAt, outputs.length - 1, name);
    }
  });

  test('usage appears only on a final chunk with empty choices, and only when asked for', () => {
    const events = [messageStart(), blockStart(0, { type: 'text', text: '' }), blockDelta(0, { type: 'text_delta', text: 'hi' }), blockStop(0), messageDelta('end_turn'), messageStop];
    const withUsage = chunksOf(feed(events, { includeUsage: true }).outputs);
    const last = withUsage.at(-1)!;
    assert.deepStrictEqual(last.choices, []);
    assert.deepStrictEqual(last.usage, {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    for (const chunk of withUsage.slice(0, -1)) assert.equal('usage' in chunk, false);

    const withoutUsage = chunksOf(feed(events, { includeUsage: false }).outputs);
    assert.equal(withoutUsage.length, withUsage.length - 1);
    for (const chunk of withoutUsage) {
      assert.equal('usage' in chunk, false);
      assert.equal(chunk.choices.length, 1);
    }
    assert.equal(withoutUsage.at(-1)!.choices[0]!.finish_reason, 'stop');
  });

  test('the usage chunk is emitted at message_stop, so end() adds nothing after it', () => {
    const transducer = new StreamTransducer({ ...TEST_CONTEXT, includeUsage: true });
    transducer.push(messageStart());
    transducer.push(messageDelta('end_turn'));
    const atStop = transducer.push(messageStop);
    assert.equal(atStop.length, 1);
    assert.equal(atStop[0]!.kind, 'chunk');
    assert.equal(transducer.done, true);
    assert.deepStrictEqual(transducer.end(), []);
    assert.deepStrictEqual(transducer.push(blockStart(0, { type: 'text', text: 'late' })), []);
  });

  test('tool calls are numbered per stream, not by Anthropic block index', () => {
    const { outputs } = feed([
      messageStart(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      blockDelta(0, { type: 'signature_delta', signature: 'sig' }),
      blockStop(0),
      blockStart(1, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      blockDelta(1, { type: 'input_json_delta', partial_json: '{"query":"x"}' }),
      blockStop(1),
      blockStart(2, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }),
      blockStop(2),
      blockStart(3, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }),
      blockDelta(3, { type: 'input_json_delta', partial_json: '{"x":1}' }),
      blockStop(3),
      blockStart(4, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }),
      blockDelta(4, { type: 'input_json_delta', partial_json: '{"y":2}' }),
      blockStop(4),
      messageDelta('tool_use'),
      messageStop,
    ]);
    assert.deepStrictEqual(deltas(outputs), [
      { role: 'assistant', content: '' },
      { tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'a', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":1}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'b', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"y":2}' } }] },
      {},
    ]);
  });

  test('a tool input sent whole in content_block_start is forwarded as arguments', () => {
    const { outputs } = feed([
      messageStart(),
      blockStart(0, { type: 'tool_use', id: 'toolu_w', name: 'w', input: { path: 'a' } }),
      blockStop(0),
      messageDelta('tool_use'),
      messageStop,
    ]);
    assert.deepStrictEqual(deltas(outputs).slice(1, 3), [
      { tool_calls: [{ index: 0, id: 'toolu_w', type: 'function', function: { name: 'w', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"path":"a"}' } }] },
    ]);
  });

  test('custom tools: the raw text arrives as one delta at block stop; malformed JSON passes through', () => {
    const events = (json: string[]) => [
      messageStart(),
      blockStart(0, { type: 'tool_use', id: 'toolu_p', name: 'ApplyPatch', input: {} }),
      ...json.map((partial_json) => blockDelta(0, { type: 'input_json_delta', partial_json })),
      blockStop(0),
      messageDelta('tool_use'),
      messageStop,
    ];
    const good = deltas(feed(events(['{"input": "line 1\\n', 'line 2"}']), { customToolNames: ['ApplyPatch'] }).outputs);
    assert.deepStrictEqual(good.slice(1, -1), [
      { tool_calls: [{ index: 0, id: 'toolu_p', type: 'function', function: { name: 'ApplyPatch', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'line 1\nline 2' } }] },
    ]);
    const broken = deltas(feed(events(['{"input": "unterminated']), { customToolNames: ['ApplyPatch'] }).outputs);
    assert.deepStrictEqual(broken[2], { tool_calls: [{ index: 0, function: { arguments: '{"input": "unterminated' } }] });
    // Not listed as custom: the JSON streams through as usual.
    const plain = deltas(feed(events(['{"input": "x"}'])).outputs);
    assert.deepStrictEqual(plain[2], { tool_calls: [{ index: 0, function: { arguments: '{"input": "x"}' } }] });
  });

  test('an error event becomes the final error frame with no finish_reason, and stops the stream', () => {
    const transducer = new StreamTransducer({ ...TEST_CONTEXT, includeUsage: true });
    transducer.push(messageStart());
    transducer.push(blockStart(0, { type: 'text', text: '' }));
    transducer.push(blockDelta(0, { type: 'text_delta', text: 'partial' }));
    const outputs = transducer.push({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
    assert.deepStrictEqual(outputs, [
      {
        kind: 'error',
        status: 502,
        error: { error: { message: 'Internal server error', type: 'server_error', param: null, code: 'upstream_error' } },
      },
    ]);
    assert.equal(transducer.done, true);
    assert.equal(transducer.finishReason(), null);
    assert.deepStrictEqual(transducer.push(messageDelta('end_turn')), []);
    assert.deepStrictEqual(transducer.push(messageStop), []);
    assert.deepStrictEqual(transducer.end(), []);
  });

  test('an error as the very first event yields only the error frame', () => {
    const { outputs } = feed([{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    assert.deepStrictEqual(outputs, [
      { kind: 'error', status: 503, error: { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded' } } },
    ]);
  });

  test('end() without message_stop is an error even after a finish_reason was sent', () => {
    const { outputs, transducer } = feed([messageStart(), messageDelta('end_turn')], { includeUsage: true });
    assert.deepStrictEqual(
      outputs.map((output) => output.kind),
      ['chunk', 'chunk', 'error'],
    );
    const last = outputs[2];
    assert.equal(last?.kind === 'error' && last.status, 502);
    assert.equal(transducer.done, true);
  });

  test('an empty upstream stream ends in an error frame, with no usage known', () => {
    const { outputs, transducer } = feed([]);
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0]!.kind, 'error');
    assert.equal(transducer.usage(), null);
    assert.equal(transducer.finishReason(), null);
  });

  test('message_stop without a stop_reason still closes the stream with finish_reason stop', () => {
    const { outputs } = feed([messageStart(), messageStop]);
    assert.deepStrictEqual(deltas(outputs), [{ role: 'assistant', content: '' }, {}]);
    assert.equal(chunksOf(outputs)[1]!.choices[0]!.finish_reason, 'stop');
  });

  test('the role delta comes first even when message_start is missing', () => {
    const { outputs } = feed([blockStart(0, { type: 'text', text: '' }), blockDelta(0, { type: 'text_delta', text: 'x' }), messageStop]);
    assert.deepStrictEqual(deltas(outputs), [{ role: 'assistant', content: '' }, { content: 'x' }, {}]);
  });

  test('empty text and thinking deltas emit nothing; deltas for unknown blocks are ignored', () => {
    const { outputs } = feed([
      messageStart(),
      blockStart(0, { type: 'text', text: '' }),
      blockDelta(0, { type: 'text_delta', text: '' }),
      blockStart(1, { type: 'thinking', thinking: '', signature: '' }),
      blockDelta(1, { type: 'thinking_delta', thinking: '' }),
      blockDelta(7, { type: 'text_delta', text: 'no such block' }),
      { type: 'ping' },
      { type: 'brand_new_event', x: 1 } as unknown as AnthropicStreamEvent,
      null as unknown as AnthropicStreamEvent,
      { type: 'content_block_start', index: 9 } as unknown as AnthropicStreamEvent,
      { type: 'content_block_delta', index: 9 } as unknown as AnthropicStreamEvent,
      { type: 'message_delta' } as unknown as AnthropicStreamEvent,
      messageDelta('end_turn'),
      messageStop,
    ]);
    assert.deepStrictEqual(deltas(outputs), [{ role: 'assistant', content: '' }, {}]);
  });

  test('usage: message_delta overrides input and cache counts when it carries them', () => {
    const { transducer } = feed([
      messageStart({ input_tokens: 100, cache_read_input_tokens: 50, cache_creation_input_tokens: null, output_tokens: 1 }),
      messageDelta('end_turn', { input_tokens: 120, cache_read_input_tokens: null, output_tokens: 30, output_tokens_details: { thinking_tokens: 12 } }),
      messageStop,
    ]);
    assert.deepStrictEqual(transducer.usage(), {
      prompt_tokens: 170,
      completion_tokens: 30,
      total_tokens: 200,
      prompt_tokens_details: { cached_tokens: 50 },
      completion_tokens_details: { reasoning_tokens: 12 },
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 50,
    });
  });

  test('thinking(): null without tool calls; redacted and signed blocks kept in order under every call id', () => {
    const noTools = feed([
      messageStart(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      blockDelta(0, { type: 'thinking_delta', thinking: 'hm' }),
      blockDelta(0, { type: 'signature_delta', signature: 's1' }),
      blockStop(0),
      messageDelta('end_turn'),
      messageStop,
    ]);
    assert.equal(noTools.transducer.thinking(), null);

    const withTools = feed([
      messageStart(),
      blockStart(0, { type: 'redacted_thinking', data: 'opaque' }),
      blockStop(0),
      blockStart(1, { type: 'thinking', thinking: 'a', signature: '' }),
      blockDelta(1, { type: 'thinking_delta', thinking: 'b' }),
      blockDelta(1, { type: 'signature_delta', signature: 's2' }),
      blockStop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_1', name: 'x', input: {} }),
      blockStop(2),
      blockStart(3, { type: 'tool_use', id: 'toolu_2', name: 'y', input: {} }),
      blockStop(3),
      messageDelta('tool_use'),
      messageStop,
    ]);
    assert.deepStrictEqual(withTools.transducer.thinking(), {
      toolCallIds: ['toolu_1', 'toolu_2'],
      blocks: [
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'thinking', thinking: 'ab', signature: 's2' },
      ],
    });
    assert.deepStrictEqual(deltas(withTools.outputs).slice(1, 2), [{ reasoning_content: 'a' }]);
  });

  test('the CRLF fixture decodes to the same outputs as its LF twin', () => {
    const crlf = readFileSync(`${STREAM_FIXTURES}custom-tool-crlf.sse`, 'utf8');
    const lf = crlf.replaceAll('\r\n', '\n');
    const { expected } = loadStreamFixture('custom-tool-crlf');
    assert.deepStrictEqual(runPieces([lf], expected.options).outputs, expected.outputs);
  });
});

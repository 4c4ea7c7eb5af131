// Streamed and non-streamed translations of the same answer must agree. Each successful stream fixture is
// (a) folded into the Anthropic Message it describes and translated with toChatCompletion, and
// (b) transduced, with the OpenAI message rebuilt from its chunks the way a client would.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { toChatCompletion } from '../../src/translate/response.ts';
import type { StreamOutput } from '../../src/translate/stream.ts';
import type { SseEvent } from '../../src/upstream/sse-decoder.ts';
import { chunksOf, loadStreamFixture, runPieces, streamFixtureNames, TEST_CONTEXT } from './stream-harness.ts';

type Json = Record<string, any>;

/** What Anthropic's non-streaming endpoint would have returned for this stream. */
function foldIntoMessage(events: readonly SseEvent[]): Message {
  let message: Json = {};
  const blocks: Json[] = [];
  const inputJson: string[] = [];
  for (const { data } of events) {
    const event = JSON.parse(data) as Json;
    switch (event.type) {
      case 'message_start':
        message = structuredClone(event.message);
        break;
      case 'content_block_start':
        blocks[event.index] = structuredClone(event.content_block);
        inputJson[event.index] = '';
        break;
      case 'content_block_delta': {
        const block = blocks[event.index]!;
        const delta = event.delta;
        if (delta.type === 'text_delta') block.text += delta.text;
        else if (delta.type === 'thinking_delta') block.thinking += delta.thinking;
        else if (delta.type === 'signature_delta') block.signature += delta.signature;
        else if (delta.type === 'input_json_delta') inputJson[event.index] += delta.partial_json;
        break;
      }
      case 'content_block_stop':
        if (inputJson[event.index]) blocks[event.index]!.input = JSON.parse(inputJson[event.index]!);
        break;
      case 'message_delta':
        message.stop_reason = event.delta.stop_reason;
        for (const [key, value] of Object.entries(event.usage ?? {})) if (value !== null) message.usage[key] = value;
        break;
    }
  }
  message.content = blocks.filter(Boolean);
  return message as Message;
}

interface Rebuilt {
  content: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string | null;
  usage: unknown;
}

/** What an OpenAI client assembles from the chunks. */
function rebuildFromChunks(outputs: StreamOutput[]): Rebuilt {
  const rebuilt: Rebuilt = { content: '', reasoning: '', toolCalls: [], finishReason: null, usage: null };
  for (const chunk of chunksOf(outputs)) {
    if (chunk.usage) rebuilt.usage = chunk.usage;
    for (const { delta, finish_reason } of chunk.choices) {
      if (finish_reason) rebuilt.finishReason = finish_reason;
      rebuilt.content += delta.content ?? '';
      rebuilt.reasoning += delta.reasoning_content ?? '';
      for (const call of delta.tool_calls ?? []) {
        if (call.id !== undefined) {
          assert.equal(call.index, rebuilt.toolCalls.length, 'tool call indexes are dense and in order');
          rebuilt.toolCalls.push({ id: call.id, name: call.function!.name!, arguments: '' });
        }
        const target = rebuilt.toolCalls[call.index];
        assert.ok(target, `arguments for tool call ${call.index} before its header`);
        target.arguments += call.function?.arguments ?? '';
      }
    }
  }
  return rebuilt;
}

describe('streamed and non-streamed translations agree', () => {
  for (const name of streamFixtureNames()) {
    const { bytes, expected } = loadStreamFixture(name);
    if (expected.outputs.some((output) => output.kind === 'error')) continue;

    test(name, () => {
      const run = runPieces([bytes], expected.options);
      const streamed = rebuildFromChunks(run.outputs);
      const custom = expected.options.customToolNames ?? [];
      const { completion, thinking } = toChatCompletion(foldIntoMessage(run.events), { ...TEST_CONTEXT, customToolNames: custom });
      const [choice] = completion.choices;

      assert.equal(streamed.content, choice!.message.content ?? '');
      assert.equal(streamed.reasoning, choice!.message.reasoning_content ?? '');
      assert.equal(streamed.finishReason, choice!.finish_reason);
      assert.deepStrictEqual(
        streamed.toolCalls.map(({ id, name }) => ({ id, name })),
        (choice!.message.tool_calls ?? []).map(({ id, function: fn }) => ({ id, name: fn.name })),
      );
      streamed.toolCalls.forEach((call, i) => {
        const whole = choice!.message.tool_calls![i]!.function.arguments;
        // Raw text must match exactly; JSON may differ in whitespace only.
        if (custom.includes(call.name)) assert.equal(call.arguments, whole);
        else assert.deepStrictEqual(JSON.parse(call.arguments), JSON.parse(whole));
      });
      assert.deepStrictEqual(run.transducer.usage(), completion.usage);
      if (expected.options.includeUsage) assert.deepStrictEqual(streamed.usage, completion.usage);
      assert.deepStrictEqual(run.transducer.thinking(), thinking);
    });
  }
});

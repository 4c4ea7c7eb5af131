import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { toChatCompletion, type GatewayChatCompletion } from '../../src/translate/response.ts';
import { responseFixtures } from './response-harness.ts';
import { TEST_CONTEXT } from './stream-harness.ts';

// The gateway's completion must stay usable wherever the openai package's type is expected.
const asOpenAICompletion = (completion: GatewayChatCompletion): ChatCompletion => completion;
void asOpenAICompletion;

const baseMessage = (content: unknown[], stop_reason: string | null = 'end_turn') =>
  ({
    id: 'msg_x',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content,
    stop_reason,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  }) as unknown as Message;

describe('toChatCompletion golden fixtures', () => {
  for (const [name, fixture] of responseFixtures()) {
    test(name, () => {
      const result = toChatCompletion(fixture.message, { ...TEST_CONTEXT, ...fixture.context });
      assert.deepStrictEqual(result, fixture.expected);
    });
  }
});

describe('toChatCompletion', () => {
  test('tool call ids are Anthropic tool_use ids, unchanged', () => {
    const { completion } = toChatCompletion(
      baseMessage([{ type: 'tool_use', id: 'toolu_keep_me', name: 'f', input: { a: 1 } }], 'tool_use'),
      TEST_CONTEXT,
    );
    assert.deepStrictEqual(completion.choices[0]!.message.tool_calls, [
      { id: 'toolu_keep_me', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    assert.equal(completion.choices[0]!.message.content, null);
  });

  test('an empty message has empty string content and no optional fields', () => {
    const { completion, thinking } = toChatCompletion(baseMessage([]), TEST_CONTEXT);
    assert.deepStrictEqual(completion.choices[0]!.message, { role: 'assistant', content: '', refusal: null });
    assert.equal(thinking, null);
  });

  test('thinking without tool calls is reported as reasoning but not carried', () => {
    const { completion, thinking } = toChatCompletion(
      baseMessage([
        { type: 'thinking', thinking: 'why', signature: 'sig' },
        { type: 'text', text: 'answer' },
      ]),
      TEST_CONTEXT,
    );
    assert.equal(completion.choices[0]!.message.reasoning_content, 'why');
    assert.equal(thinking, null);
  });

  test('a signed thinking block with omitted text is carried but adds no reasoning_content', () => {
    const { completion, thinking } = toChatCompletion(
      baseMessage(
        [
          { type: 'thinking', thinking: '', signature: 'sig-only' },
          { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
        ],
        'tool_use',
      ),
      TEST_CONTEXT,
    );
    assert.equal('reasoning_content' in completion.choices[0]!.message, false);
    assert.deepStrictEqual(thinking, { toolCallIds: ['toolu_1'], blocks: [{ type: 'thinking', thinking: '', signature: 'sig-only' }] });
  });

  test('a custom tool whose input lacks the text wrapper falls back to JSON', () => {
    const { completion } = toChatCompletion(
      baseMessage([{ type: 'tool_use', id: 'toolu_2', name: 'ApplyPatch', input: { patch: 'x' } }], 'tool_use'),
      { ...TEST_CONTEXT, customToolNames: ['ApplyPatch'] },
    );
    assert.equal(completion.choices[0]!.message.tool_calls![0]!.function.arguments, '{"patch":"x"}');
  });

  test('reports the model and id the caller chose, not the upstream ones', () => {
    const { completion } = toChatCompletion(baseMessage([{ type: 'text', text: 'x' }]), {
      ...TEST_CONTEXT,
      model: 'cg/claude-sonnet-5-5',
      id: 'chatcmpl-other',
    });
    assert.equal(completion.model, 'cg/claude-sonnet-5-5');
    assert.equal(completion.id, 'chatcmpl-other');
  });
});

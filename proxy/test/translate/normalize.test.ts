import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors.ts';
import { normalizeChatRequest } from '../../src/translate/normalize.ts';

function rejects(body: unknown, param: string | null, message?: RegExp): void {
  assert.throws(
    () => normalizeChatRequest(body),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 400);
      assert.equal(error.param, param);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe('normalizeChatRequest', () => {
  test('a Responses-shaped body becomes Chat messages', () => {
    const req = normalizeChatRequest({
      model: 'claude-opus-5-5',
      instructions: 'Be an agent.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'https://x/a.png' }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'done' },
        { type: 'custom_tool_call', call_id: 'c2', name: 'ApplyPatch', input: 'patch' },
        { type: 'custom_tool_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'ok' }] },
        { type: 'item_reference', id: 'msg_1' },
      ],
      max_output_tokens: 1000,
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true } },
      store: false,
      include: ['reasoning.encrypted_content'],
      previous_response_id: null,
    });
    assert.deepEqual(req, {
      model: 'claude-opus-5-5',
      messages: [
        { role: 'system', content: 'Be an agent.' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'https://x/a.png' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c2', type: 'custom', custom: { name: 'ApplyPatch', input: 'patch' } }] },
        { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'ok' }] },
      ],
      max_completion_tokens: 1000,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'low' },
    });
  });

  test('top-level Anthropic system leads, nulls mean absent, unknown fields are dropped, prompt_cache_key is kept', () => {
    const req = normalizeChatRequest({
      model: 'm',
      system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'u', name: 'alice' }],
      temperature: null,
      max_tokens: null,
      stream: true,
      stream_options: { include_usage: true },
      service_tier: 'flex',
      safety_identifier: 'hashed-user',
      prompt_cache_key: 'k',
    });
    assert.deepEqual(req, {
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'u', name: 'alice' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      prompt_cache_key: 'k',
    });
  });

  test('legacy and object-valued tool call arguments', () => {
    const req = normalizeChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: { k: 1 } } }], function_call: { name: 'g' } },
      ],
    });
    assert.deepEqual(req.messages[1], {
      role: 'assistant',
      content: 'y',
      tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"k":1}' } }],
      function_call: { name: 'g', arguments: '' },
    });
  });

  test('rejects bad bodies naming the field', () => {
    rejects('text', null);
    rejects({ model: 'm', messages: 'hi' }, 'messages');
    rejects({ model: 'm', input: [] }, 'messages');
    rejects({ model: 'm', input: [{ type: 'function_call', name: 'f' }] }, 'input[0].call_id');
    rejects({ model: 'm', messages: [{ role: 'user', content: { text: 'x' } }] }, 'messages[0].content');
    rejects({ model: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'messages[0].content[0]');
    rejects({ model: 'm', messages: [{ content: 'x' }] }, 'messages[0].role', /missing/);
    rejects({ model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a' }] }] }, 'messages[0].tool_calls[0].function');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [1] }, 'tools[0]');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'xml' } }, 'response_format.type');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], thinking: { type: 'on' } }, 'thinking.type');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], top_k: 0 }, 'top_k');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], parallel_tool_calls: 'no' }, 'parallel_tool_calls');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], reasoning: { effort: 'huge' } }, 'reasoning.effort');
    rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 0 }, 'n');
  });
});

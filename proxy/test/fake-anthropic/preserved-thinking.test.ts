// The fake's preserved thinking: blocks bound to their prefix and model, the 400 on a changed prefix,
// drop_block with the beta header, input_transformations, and blocks another model cannot read.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic } from './server.ts';
import { call, VERSION_HEADERS } from './test-helpers.ts';
import type { FakeAnthropic } from './types.ts';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({
    respond: () => ({ content: [{ type: 'thinking', thinking: 'plan' }, { type: 'tool_use', name: 'read', input: {} }], stopReason: 'tool_use' }),
  });
});
after(() => fake.close());

const BETA = { ...VERSION_HEADERS, 'anthropic-beta': 'thinking-binding-controls-2026-08-01' };
const TOOLS = [{ name: 'read', description: 'Read.', input_schema: { type: 'object' } }];

function first(model: string, system = 'Be brief.') {
  return { model, max_tokens: 2048, system, tools: TOOLS, thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'start' }] };
}

/** A first turn, then the follow-up request that sends its assistant turn back. */
async function followUp(model: string, change: (body: any) => void = () => {}, nextModel = model) {
  const res = await call(fake, 'POST', '/v1/messages', first(model));
  assert.equal(res.status, 200, res.text);
  const toolUse = res.json.content.find((b: any) => b.type === 'tool_use');
  const body: any = first(nextModel);
  body.messages.push({ role: 'assistant', content: res.json.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'ok' }] });
  change(body);
  return body;
}

describe('prefix check', () => {
  test('an unchanged prefix passes; a cache_control marker is not part of it', async () => {
    const body = await followUp('claude-opus-5-5', (b) => {
      b.system = [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }];
    });
    assert.equal((await call(fake, 'POST', '/v1/messages', body)).status, 200);
  });

  test('a changed earlier message is a 400 naming the block', async () => {
    const body = await followUp('claude-sonnet-5-5', (b) => {
      b.messages[0].content = 'start (edited)';
    });
    const res = await call(fake, 'POST', '/v1/messages', body);
    assert.equal(res.status, 400);
    assert.match(res.json.error.message, /^messages\.1\.content\.0: Invalid `signature` in `thinking` block\. The block is bound to a different conversation\./);
  });

  test('drop_block with the beta drops the block and reports it in input_transformations', async () => {
    const body = await followUp('claude-haiku-5-5', (b) => {
      b.system = 'Be thorough.';
      b.thinking.block_binding = { prefix_mismatch_behavior: 'drop_block' };
    });
    const res = await call(fake, 'POST', '/v1/messages', body, BETA);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.input_transformations, [{ type: 'thinking_dropped', path: 'messages.1.content.0', reason: 'prefix_binding_mismatch' }]);
  });

  test('with the beta and nothing to report, input_transformations is an empty array', async () => {
    const res = await call(fake, 'POST', '/v1/messages', await followUp('claude-opus-5-5'), BETA);
    assert.deepEqual(res.json.input_transformations, []);
  });

  test('block_binding without the beta header is refused', async () => {
    const body = await followUp('claude-opus-5-5', (b) => {
      b.thinking.block_binding = { prefix_mismatch_behavior: 'drop_block' };
    });
    assert.equal((await call(fake, 'POST', '/v1/messages', body)).status, 400);
  });

  test('models without preserved thinking do not run the check', async () => {
    const body = await followUp('claude-opus-4-8', (b) => {
      b.messages[0].content = 'start (edited)';
    });
    assert.equal((await call(fake, 'POST', '/v1/messages', body)).status, 200);
  });
});

describe('model check', () => {
  test('a block the model cannot read is dropped without an error', async () => {
    const body = await followUp('claude-opus-5-5', () => {}, 'claude-sonnet-5-5');
    const res = await call(fake, 'POST', '/v1/messages', body, BETA);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.input_transformations, [{ type: 'thinking_dropped', path: 'messages.1.content.0', reason: 'model_binding_mismatch' }]);
  });

  test('Fable 5.1 reads Opus 5.5 blocks', async () => {
    const res = await call(fake, 'POST', '/v1/messages', await followUp('claude-opus-5-5', () => {}, 'claude-fable-5-1'), BETA);
    assert.deepEqual(res.json.input_transformations, []);
  });
});

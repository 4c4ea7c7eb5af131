import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { cacheOptFromHeaders, isCacheable, responseCacheKey } from '../../src/reduce/cache-key.ts';
import type { ChatRequest } from '../../src/translate/openai-types.ts';

const params: MessageCreateParams = {
  model: 'claude-sonnet-5-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: 'hi' }],
};

describe('response cache key', () => {
  test('is a sha256 hex digest, the same whatever the key order', () => {
    const reordered = { messages: params.messages, system: params.system, max_tokens: 100, model: 'claude-sonnet-5-5' } as MessageCreateParams;
    assert.match(responseCacheKey(params), /^[0-9a-f]{64}$/);
    assert.equal(responseCacheKey(reordered), responseCacheKey(params));
  });

  test('ignores stream and cache_control, which cannot change the answer', () => {
    const marked = { ...params, stream: true, system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }] };
    assert.equal(responseCacheKey(marked), responseCacheKey(params));
  });

  test('changes with anything that can change the answer', () => {
    assert.notEqual(responseCacheKey({ ...params, max_tokens: 101 }), responseCacheKey(params));
    assert.notEqual(responseCacheKey({ ...params, messages: [{ role: 'user', content: 'hi!' }] }), responseCacheKey(params));
    assert.notEqual(responseCacheKey({ ...params, model: 'claude-opus-5-5' }), responseCacheKey(params));
    assert.notEqual(responseCacheKey({ ...params, tools: [{ name: 'read', input_schema: { type: 'object' } }] }), responseCacheKey(params));
    assert.notEqual(responseCacheKey({ ...params, system: 'Be very brief.' }), responseCacheKey(params));
  });

  test('a conversation digested turn by turn keys each turn as a fresh copy of it would', () => {
    let turn: MessageCreateParams = { ...params, tools: [{ name: 'read', input_schema: { type: 'object' } }] };
    for (let i = 0; i < 6; i++) {
      // Each turn reuses the previous turn's message objects (as the prefix state hands them on) and adds two.
      turn = { ...turn, messages: [...turn.messages, { role: 'assistant', content: [{ type: 'text', text: `answer ${i}` }] }, { role: 'user', content: `next ${i}` }] };
      assert.equal(responseCacheKey(turn), responseCacheKey(structuredClone(turn)), `turn ${i}`);
    }
  });
});

describe('what may be cached', () => {
  const chat = (extra: Partial<ChatRequest>): ChatRequest => ({ model: 'sonnet', messages: [], ...extra });
  const withTools = { ...params, tools: [{ name: 'read', input_schema: { type: 'object' as const } }] };

  test('tool-less requests only when the client asked for deterministic output', () => {
    assert.equal(isCacheable(chat({}), params), false);
    assert.equal(isCacheable(chat({ temperature: 0.7 }), params), false);
    assert.equal(isCacheable(chat({ temperature: 0 }), params), true);
    assert.equal(isCacheable(chat({ top_k: 1 }), params), true);
  });

  test('agent requests with tools', () => {
    assert.equal(isCacheable(chat({ temperature: 1 }), withTools), true);
  });

  test('an explicit opt-out always wins, an opt-in caches anything else', () => {
    assert.equal(isCacheable(chat({ temperature: 0 }), withTools, { optOut: true, optIn: true }), false);
    assert.equal(isCacheable(chat({ temperature: 1 }), params, { optIn: true }), true);
    assert.equal(isCacheable(chat({ n: 2, temperature: 0 }), params), false);
  });

  test('reads the opt-in and opt-out headers', () => {
    assert.deepEqual(cacheOptFromHeaders({ 'cache-control': 'no-cache' }), { optOut: true, optIn: false });
    assert.deepEqual(cacheOptFromHeaders({ 'x-cache': 'force' }), { optOut: false, optIn: true });
    assert.deepEqual(cacheOptFromHeaders({}), { optOut: false, optIn: false });
  });
});

// A project's policy applied to a request body: default model, max_tokens cap (with its note), the model limits
// the translator sees, and the native Anthropic body with its thinking budget kept under the cap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capabilitiesFor } from '../../src/models/catalog.ts';
import { openPolicy, type ProjectPolicy } from '../../src/projects/identity.ts';
import { capCapabilities, capMaxTokens, capMessagesBody, withDefaultModel } from '../../src/projects/policy-apply.ts';
import type { ChatRequest } from '../../src/translate/openai-types.ts';

const policy = (p: Partial<ProjectPolicy>): ProjectPolicy => ({ ...openPolicy('alpha', 'Alpha'), ...p });

describe('withDefaultModel', () => {
  const p = policy({ defaultModel: 'haiku' });
  test('fills a missing, empty or "default" model', () => {
    assert.deepEqual(withDefaultModel({ messages: [] }, p), { messages: [], model: 'haiku' });
    assert.deepEqual(withDefaultModel({ model: ' ' }, p), { model: 'haiku' });
    assert.deepEqual(withDefaultModel({ model: 'Default' }, p), { model: 'haiku' });
  });
  test('leaves a named model, and every body when the project has no default', () => {
    assert.deepEqual(withDefaultModel({ model: 'opus' }, p), { model: 'opus' });
    const body = { messages: [] };
    assert.equal(withDefaultModel(body, policy({})), body);
    assert.equal(withDefaultModel(body, undefined), body);
  });
});

describe('capMaxTokens', () => {
  test('clamps max_tokens and max_completion_tokens above the cap, with a note', () => {
    const chat = { model: 'x', messages: [], max_tokens: 5000, max_completion_tokens: 6000 } as ChatRequest;
    assert.equal(capMaxTokens(chat, policy({ maxTokensCap: 100 })), 'max_tokens 6000 clamped to 100 (the max_tokens cap of project alpha)');
    assert.deepEqual([chat.max_tokens, chat.max_completion_tokens], [100, 100]);
  });
  test('leaves values under the cap, absent values, and projects without a cap', () => {
    const chat = { model: 'x', messages: [], max_tokens: 50 } as ChatRequest;
    assert.equal(capMaxTokens(chat, policy({ maxTokensCap: 100 })), undefined);
    assert.equal(chat.max_tokens, 50);
    assert.equal(capMaxTokens({ model: 'x', messages: [] } as ChatRequest, policy({ maxTokensCap: 100 })), undefined);
    assert.equal(capMaxTokens({ model: 'x', messages: [], max_tokens: 1e6 } as ChatRequest, policy({})), undefined);
  });
});

describe('capCapabilities', () => {
  test('the model output limit and default come down to the cap', () => {
    const caps = capabilitiesFor('claude-sonnet-5-5');
    const capped = capCapabilities(caps, policy({ maxTokensCap: 2000 }));
    assert.deepEqual([capped.maxOutputTokens, capped.defaultMaxTokens], [2000, 2000]);
    assert.equal(capCapabilities(caps, policy({ maxTokensCap: 10_000_000 })), caps);
    assert.equal(capCapabilities(caps, undefined), caps);
  });
});

describe('capMessagesBody', () => {
  const body = { model: 'claude-sonnet-4-5', max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 4000 }, messages: [] };
  test('clamps max_tokens and lowers a thinking budget that no longer fits', () => {
    const out = capMessagesBody(body, policy({ maxTokensCap: 2000 }));
    assert.deepEqual(out.body, { ...body, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1999 } });
    assert.equal(out.note, 'max_tokens 8000 clamped to 2000 (the max_tokens cap of project alpha), thinking budget 4000 lowered to 1999');
  });
  test('leaves thinking out when no budget fits under the cap', () => {
    const out = capMessagesBody(body, policy({ maxTokensCap: 500 }));
    assert.deepEqual(out.body, { model: body.model, max_tokens: 500, messages: [] });
  });
  test('changes nothing under the cap or without one', () => {
    assert.equal(capMessagesBody(body, policy({ maxTokensCap: 9000 })).body, body);
    assert.equal(capMessagesBody(body, undefined).note, undefined);
  });
});

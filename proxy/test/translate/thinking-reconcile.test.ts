// Prefix digests, the fitting of kept thinking to the request about to be sent, the seal of reasoning_details
// and the notes made from input_transformations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { capabilitiesFor } from '../../src/models/catalog.ts';
import { createCarrySeal, fromReasoningDetails, toReasoningDetail } from '../../src/translate/reasoning-details.ts';
import type { KeptThinkingBlock } from '../../src/translate/thinking.ts';
import { liftCarriedThinking } from '../../src/translate/thinking-carry.ts';
import { bindingOf, blockKey, prefixDigests } from '../../src/translate/thinking-binding.ts';
import { reconcileThinking } from '../../src/translate/thinking-reconcile.ts';
import { droppedUpstreamNotes } from '../../src/translate/thinking-transformations.ts';

const T1: KeptThinkingBlock = { type: 'thinking', thinking: 'one', signature: 'sig-1' };
const T2: KeptThinkingBlock = { type: 'thinking', thinking: 'two', signature: 'sig-2' };
const T3: KeptThinkingBlock = { type: 'redacted_thinking', data: 'opaque-3' };

function conversation(system = 'sys'): MessageCreateParams {
  return {
    model: 'claude-opus-5-5',
    max_tokens: 1000,
    system: [{ type: 'text', text: system }],
    messages: [
      { role: 'user', content: 'task' },
      { role: 'assistant', content: [T1, { type: 'tool_use', id: 'a', name: 'read', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'r1' }] },
      { role: 'assistant', content: [T2, T3, { type: 'tool_use', id: 'b', name: 'read', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'b', content: 'r2' }] },
    ],
  };
}

/** Each block bound, as the gateway records it, to the request that produced it. */
function recorded(params: MessageCreateParams): Map<string, string> {
  const digests = prefixDigests(params);
  return new Map([
    [blockKey(T1), digests[1]!],
    [blockKey(T2), digests[3]!],
    [blockKey(T3), digests[3]!],
  ]);
}

const opus55 = capabilitiesFor('claude-opus-5-5');

describe('prefix digests', () => {
  test('cache_control and string-versus-block content do not change a digest; content does', () => {
    const a = { system: [{ type: 'text', text: 's' }], messages: [{ role: 'user', content: 'hi' }] };
    const b = { system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] };
    assert.equal(bindingOf(a), bindingOf(b));
    assert.notEqual(bindingOf(a), bindingOf({ ...a, messages: [{ role: 'user', content: 'hi!' }] }));
    assert.notEqual(bindingOf(a), bindingOf({ ...a, tools: [{ name: 't' }] }));
  });
});

describe('reconcileThinking', () => {
  test('an unchanged conversation is sent as it is', () => {
    const params = conversation();
    const bindings = recorded(params);
    const { params: out, report } = reconcileThinking(params, { caps: opus55, bindingOf: (b) => bindings.get(blockKey(b)) });
    assert.deepEqual(out, params);
    assert.deepEqual(report, { sent: 3, removed: 0, unchecked: 0, notes: [], betas: [] });
  });

  test('an edit removes the blocks produced after it, with the rest of their turn, and keeps earlier ones', () => {
    const bindings = recorded(conversation());
    const edited = conversation();
    edited.messages[2] = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'r1 (truncated)' }] };
    const { params: out, report } = reconcileThinking(edited, { caps: opus55, bindingOf: (b) => bindings.get(blockKey(b)) });
    assert.deepEqual((out.messages[1]!.content as Array<{ type: string }>)[0], T1);
    assert.deepEqual((out.messages[3]!.content as Array<{ type: string }>).map((b) => b.type), ['tool_use']);
    assert.equal(report.removed, 2);
    assert.match(report.notes[0]!, /2 earlier thinking block\(s\) not sent back/);
  });

  test('a changed system prompt removes every block', () => {
    const bindings = recorded(conversation());
    const { report } = reconcileThinking(conversation('sys, edited'), { caps: opus55, bindingOf: (b) => bindings.get(blockKey(b)) });
    assert.equal(report.removed, 3);
    assert.equal(report.sent, 0);
  });

  test('blocks with no record are sent with drop_block and the beta header', () => {
    const { params: out, report } = reconcileThinking(conversation(), { caps: opus55, bindingOf: () => undefined });
    assert.deepEqual(out.thinking, { type: 'adaptive', block_binding: { prefix_mismatch_behavior: 'drop_block' } });
    assert.deepEqual(report.betas, ['thinking-binding-controls-2026-08-01']);
    assert.equal(report.unchecked, 3);
  });

  test('models without preserved thinking keep every block untouched', () => {
    const params = { ...conversation('other'), model: 'claude-opus-4-8' };
    const { params: out } = reconcileThinking(params, { caps: capabilitiesFor('claude-opus-4-8'), bindingOf: () => 'elsewhere' });
    assert.deepEqual(out, params);
  });

  test('manual thinking with a last tool turn that has no thinking is switched off for the request', () => {
    const params = { ...conversation(), model: 'claude-sonnet-4-5', thinking: { type: 'enabled' as const, budget_tokens: 2048 } };
    params.messages[3] = { role: 'assistant', content: [{ type: 'tool_use', id: 'b', name: 'read', input: {} }] };
    const { params: out, report } = reconcileThinking(params, { caps: capabilitiesFor('claude-sonnet-4-5'), bindingOf: () => undefined });
    assert.equal(out.thinking, undefined);
    assert.match(report.notes[0]!, /thinking off for this request/);
  });
});

describe('reasoning_details', () => {
  const seal = createCarrySeal('upstream-key');
  test('a sealed entry opens to its binding; an edited one, or one sealed under another key, does not', () => {
    const id = seal.seal(T1, 'digest');
    assert.equal(seal.open(T1, id), 'digest');
    assert.equal(seal.open({ ...T1, thinking: 'one!' }, id), undefined);
    assert.equal(createCarrySeal('other-key').open(T1, id), undefined);
    assert.equal(seal.open(T1, undefined), undefined);
  });

  test('entries round-trip through the OpenRouter shapes', () => {
    const details = [toReasoningDetail(T1, 0, 'x'), toReasoningDetail(T3, 1), { type: 'reasoning.summary', summary: 's' }, { type: 'reasoning.text', text: 'no signature' }];
    assert.deepEqual(fromReasoningDetails(details), [{ block: T1, id: 'x' }, { block: T3 }]);
  });

  test('lifting puts sealed blocks first in their turn and leaves others out', () => {
    const details = [toReasoningDetail(T1, 0, seal.seal(T1, 'd1')), toReasoningDetail(T2, 1, 'forged')];
    const lifted = liftCarriedThinking([{ role: 'assistant', content: 'ok', reasoning_details: details }], seal);
    assert.deepEqual(lifted.messages[0]!.content, [T1, { type: 'text', text: 'ok' }]);
    assert.equal(lifted.bindings.get(blockKey(T1)), 'd1');
    assert.equal(lifted.ignored, 1);
  });
});

test('input_transformations become one note per kind', () => {
  const notes = droppedUpstreamNotes([
    { type: 'thinking_dropped', path: 'messages.1.content.0', reason: 'prefix_binding_mismatch' },
    { type: 'thinking_dropped', path: 'messages.3.content.0', reason: 'prefix_binding_mismatch' },
    { type: 'thinking_dropped', path: 'messages.5.content.0', reason: 'model_binding_mismatch' },
    { type: 'something_new', path: 'x' },
  ]);
  assert.deepEqual(notes, [
    '2 thinking block(s) dropped by Anthropic (the conversation before them changed) at messages.1.content.0, messages.3.content.0',
    '1 thinking block(s) dropped by Anthropic (produced by a model this one cannot read) at messages.5.content.0',
  ]);
  assert.deepEqual(droppedUpstreamNotes(undefined), []);
});

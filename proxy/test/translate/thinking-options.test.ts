import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findModel } from '../../src/models/catalog.ts';
import { Adjustments } from '../../src/translate/adjustments.ts';
import type { ChatRequest } from '../../src/translate/openai-types.ts';
import { planThinking } from '../../src/translate/thinking-options.ts';

const ask = (extra: Partial<ChatRequest>): ChatRequest => ({ model: 'x', messages: [{ role: 'user', content: 'q' }], ...extra });

test('a budget that cannot grow past the output limit is lowered to leave room for the answer', () => {
  const notes = new Adjustments();
  const plan = planThinking(ask({ reasoning_effort: 'max', max_tokens: 32000 }), findModel('claude-opus-4-1')!, notes);
  assert.deepEqual(plan, { maxTokens: 32000, active: true, thinking: { type: 'enabled', budget_tokens: 24000 } });
  assert.deepEqual(notes.list(), ['thinking budget 32768 lowered to 24000 to fit max_tokens 32000']);
});

test('a tiny budget is raised to the minimum and max_tokens grows around it', () => {
  const notes = new Adjustments();
  const plan = planThinking(ask({ thinking: { type: 'enabled', budget_tokens: 100 }, max_tokens: 500 }), findModel('claude-sonnet-4-5')!, notes);
  assert.deepEqual(plan, { maxTokens: 1524, active: true, thinking: { type: 'enabled', budget_tokens: 1024 } });
});

test('no reasoning asked: nothing sent, and always-on models still count as thinking', () => {
  assert.deepEqual(planThinking(ask({}), findModel('claude-opus-4-6')!, new Adjustments()), { maxTokens: 32000, active: false });
  assert.deepEqual(planThinking(ask({}), findModel('claude-sonnet-5-5')!, new Adjustments()), { maxTokens: 32000, active: true });
});

test('minimal maps to low effort; reasoning.enabled false turns thinking off on adaptive-only models', () => {
  const minimal = planThinking(ask({ reasoning_effort: 'minimal' }), findModel('claude-opus-4-8')!, new Adjustments());
  assert.deepEqual(minimal.effort, 'low');
  const off = planThinking(ask({ reasoning: { enabled: false } }), findModel('claude-opus-5')!, new Adjustments());
  assert.deepEqual(off.thinking, { type: 'disabled' });
});

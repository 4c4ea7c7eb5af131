import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StopReason } from '@anthropic-ai/sdk/resources/messages';
import { toFinishReason } from '../../src/translate/finish-reason.ts';

test('every Anthropic stop_reason maps to its OpenAI finish_reason', () => {
  const table: Array<[StopReason | null, string]> = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
    [null, 'stop'],
  ];
  for (const [stop, finish] of table) assert.equal(toFinishReason(stop), finish, String(stop));
});

test('an unknown future stop_reason ends the turn normally', () => {
  assert.equal(toFinishReason('something_new' as StopReason), 'stop');
  assert.equal(toFinishReason('toString' as StopReason), 'stop');
});

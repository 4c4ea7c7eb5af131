import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toOpenAIUsage } from '../../src/translate/usage.ts';

describe('toOpenAIUsage', () => {
  test('prompt tokens include cache reads and writes; cached_tokens is the cache reads', () => {
    assert.deepStrictEqual(
      toOpenAIUsage({ input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, output_tokens: 50 }),
      {
        prompt_tokens: 2400,
        completion_tokens: 50,
        total_tokens: 2450,
        prompt_tokens_details: { cached_tokens: 2000 },
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 2000,
      },
    );
  });

  test('null and missing counts are zero', () => {
    assert.deepStrictEqual(toOpenAIUsage({ input_tokens: 7, cache_read_input_tokens: null, cache_creation_input_tokens: null, output_tokens: 3 }), {
      prompt_tokens: 7,
      completion_tokens: 3,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    assert.deepStrictEqual(toOpenAIUsage({}), {
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  test('thinking tokens become reasoning_tokens, only when Anthropic reports them', () => {
    const withThinking = toOpenAIUsage({ input_tokens: 1, output_tokens: 90, output_tokens_details: { thinking_tokens: 60 } });
    assert.deepStrictEqual(withThinking.completion_tokens_details, { reasoning_tokens: 60 });
    assert.equal(withThinking.completion_tokens, 90);
    assert.equal('completion_tokens_details' in toOpenAIUsage({ output_tokens: 5, output_tokens_details: null }), false);
    assert.deepStrictEqual(
      toOpenAIUsage({ output_tokens: 5, output_tokens_details: { thinking_tokens: 0 } }).completion_tokens_details,
      { reasoning_tokens: 0 },
    );
  });

  test('garbage counts are treated as zero instead of poisoning totals', () => {
    const usage = toOpenAIUsage({ input_tokens: Number.NaN, output_tokens: -4, cache_read_input_tokens: 5 } as never);
    assert.equal(usage.prompt_tokens, 5);
    assert.equal(usage.completion_tokens, 0);
    assert.equal(usage.total_tokens, 5);
  });
});

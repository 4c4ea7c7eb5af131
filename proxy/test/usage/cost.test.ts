// Cost arithmetic against the price table: every token kind at its own rate, the long-prompt band, the batch
// discount, and the baseline (what the request would have cost without the gateway).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { baselineCostUsd, costUsd, type BilledTokens } from '../../src/usage/cost.ts';
import { SHIPPED_PRICES, type Price } from '../../src/usage/prices.ts';

const price = (model: string): Price => SHIPPED_PRICES.find((p) => p.model === model)!;
const tokens = (t: Partial<BilledTokens>): BilledTokens => ({ inputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, outputTokens: 0, ...t });
const M = 1_000_000;

describe('costUsd', () => {
  const cases: Array<[string, string, Partial<BilledTokens>, number, boolean?]> = [
    ['a million uncached input tokens cost the input rate', 'claude-sonnet-5-5', { inputTokens: M }, 2],
    ['a million output tokens cost the output rate', 'claude-sonnet-5-5', { outputTokens: M }, 10],
    ['5-minute cache writes cost 1.25x input', 'claude-opus-4-8', { cacheWrite5mTokens: M }, 6.25],
    ['1-hour cache writes cost 2x input', 'claude-opus-4-8', { cacheWrite1hTokens: M }, 10],
    ['cache reads cost 0.1x input on Opus 4.8', 'claude-opus-4-8', { cacheReadTokens: M }, 0.5],
    ['cache reads use the table, not a multiplier (Opus 5.5: 0.05x)', 'claude-opus-5-5', { cacheReadTokens: M }, 0.2],
    ['cache reads on Fable 5.1 are 0.025x', 'claude-fable-5-1', { cacheReadTokens: M }, 0.25],
    [
      'a mixed request adds every part',
      'claude-sonnet-4-6',
      { inputTokens: 1000, cacheWrite5mTokens: 2000, cacheWrite1hTokens: 500, cacheReadTokens: 10_000, outputTokens: 300 },
      (1000 * 3 + 2000 * 3.75 + 500 * 6 + 10_000 * 0.3 + 300 * 15) / M,
    ],
    ['the batch discount halves everything', 'claude-haiku-4-5', { inputTokens: M, outputTokens: M }, 3, true],
    ['Haiku 5.5 up to 100K prompt tokens: the base band', 'claude-haiku-5-5', { inputTokens: 100_000, outputTokens: 1000 }, (100_000 * 0.1 + 1000 * 0.5) / M],
    [
      'Haiku 5.5 above 100K prompt tokens (cache included): every token at the long band',
      'claude-haiku-5-5',
      { inputTokens: 50_000, cacheReadTokens: 50_001, outputTokens: 1000 },
      (50_000 * 0.5 + 50_001 * 0.05 + 1000 * 2.5) / M,
    ],
  ];
  for (const [name, model, t, expected, batch] of cases) {
    test(name, () => {
      assert.equal(costUsd(tokens(t), price(model), { batch: batch ?? false }), Math.round(expected * 1e9) / 1e9);
    });
  }

  test('a model without a price costs 0', () => {
    assert.equal(costUsd(tokens({ inputTokens: M }), undefined), 0);
  });

  test('the rates come from the (edited) table', () => {
    const edited = { ...price('claude-sonnet-5-5'), inputPerMTok: 7 };
    assert.equal(costUsd(tokens({ inputTokens: 2 * M }), edited), 14);
  });
});

describe('baselineCostUsd', () => {
  test('the prompt before reduction as uncached input, plus the same output', () => {
    assert.equal(baselineCostUsd(50_000, 2000, price('claude-sonnet-5-5')), (50_000 * 2 + 2000 * 10) / M);
  });

  test('with the batch discount when the request was a batch', () => {
    assert.equal(baselineCostUsd(M, 0, price('claude-sonnet-5-5'), { batch: true }), 1);
  });
});

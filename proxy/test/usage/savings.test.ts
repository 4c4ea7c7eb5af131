// Honest savings: the uncached baseline is the original request in Anthropic's own token count (the gateway's
// estimate scaled by real / estimated for what was sent), a failed request saves nothing, and caching that
// costs more than it saves shows as a negative saving rather than being hidden.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestRecord } from '../../src/usage/request-record.ts';
import { calibratedTokensBefore, costUsd } from '../../src/usage/cost.ts';
import { SHIPPED_PRICES, type Price } from '../../src/usage/prices.ts';
import { buildUsageRecord } from '../../src/usage/record.ts';

const MODEL = 'claude-sonnet-4-6';
const PRICES = new Map<string, Price>(SHIPPED_PRICES.map((p) => [p.model, p]));
const PRICE = PRICES.get(MODEL)!;
const uncached = (input: number, output: number) =>
  costUsd({ inputTokens: input, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, outputTokens: output }, PRICE);

/** Anthropic's usage as the request record holds it (prompt includes cache reads and writes). */
const billed = (prompt: number, completion: number, cache: { cacheRead?: number; cacheWrite?: number } = {}) => ({ prompt, completion, cacheRead: 0, cacheWrite: 0, ...cache });

function usage(record: Partial<RequestRecord>, status = 200) {
  return buildUsageRecord({
    id: 'req_1',
    endpoint: 'chat',
    record: { startedAt: 0, model: MODEL, ...record },
    projectId: 'default',
    keyId: null,
    client: null,
    status,
    endedAt: 10,
    prices: PRICES,
  });
}

describe('calibratedTokensBefore', () => {
  test('scales the estimate of the original by real / estimated for what was sent', () => {
    assert.equal(calibratedTokensBefore(10_000, 8_000, 9_000), 11_250);
  });
  test('an unchanged request gets exactly its real count', () => {
    assert.equal(calibratedTokensBefore(4_321, 4_321, 5_000), 5_000);
  });
  test('without a real count or an estimate of what was sent, the estimate stands', () => {
    assert.equal(calibratedTokensBefore(1_000, 800, 0), 1_000);
    assert.equal(calibratedTokensBefore(1_000, 0, 900), 1_000);
    assert.equal(calibratedTokensBefore(0, 0, 900), 0);
  });
});

describe('the usage record’s baseline', () => {
  test('a request reduction left unchanged and sent uncached saved nothing, whatever the estimator says', () => {
    // The estimator thinks 4,000 tokens; Anthropic counted 5,000.
    const r = usage({ reduction: { tokensBefore: 4_000, tokensAfter: 4_000, byLayer: {} }, usage: billed(5_000, 100) });
    assert.equal(r.costUsd, uncached(5_000, 100));
    assert.equal(r.baselineCostUsd, r.costUsd);
  });

  test('a reduced request is compared with its original in Anthropic’s measure', () => {
    // Sent: estimated 6,000, real 7,500 (×1.25); the original was estimated at 10,000, so 12,500 real.
    const r = usage({ reduction: { tokensBefore: 10_000, tokensAfter: 6_000, byLayer: { strip: 4_000 } }, usage: billed(7_500, 200) });
    assert.equal(r.baselineCostUsd, uncached(12_500, 200));
    assert.ok(r.baselineCostUsd > r.costUsd);
  });

  test('cache reads are a saving against the uncached baseline', () => {
    const r = usage({ reduction: { tokensBefore: 20_000, tokensAfter: 20_000, byLayer: {} }, usage: billed(20_000, 50, { cacheRead: 18_000 }) });
    assert.equal(r.baselineCostUsd, uncached(20_000, 50));
    assert.ok(r.baselineCostUsd - r.costUsd > 0);
  });

  test('a cache write never read back is a cost: the saving is negative, not hidden', () => {
    const r = usage({ reduction: { tokensBefore: 20_000, tokensAfter: 20_000, byLayer: {} }, usage: billed(20_000, 50, { cacheWrite: 18_000 }) });
    assert.ok(r.baselineCostUsd - r.costUsd < 0);
  });

  for (const [name, record, status] of [
    ['an upstream error', { errorType: 'overloaded_error' }, 529],
    ['a gateway error status', {}, 400],
    ['a client that went away mid-stream', { clientAborted: true }, 200],
  ] as const) {
    test(`${name} saves nothing`, () => {
      const r = usage({ ...record, reduction: { tokensBefore: 10_000, tokensAfter: 2_000, byLayer: { prune: 8_000 } }, usage: billed(2_000, 10) }, status);
      assert.notEqual(r.errorType, null);
      assert.equal(r.baselineCostUsd, r.costUsd);
    });
  }
});

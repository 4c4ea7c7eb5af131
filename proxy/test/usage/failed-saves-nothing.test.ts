// A request that failed never counts as money saved, even when token reduction ran before it failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUsageRecord } from '../../src/usage/record.ts';
import { SHIPPED_PRICES } from '../../src/usage/prices.ts';

const PRICES = new Map(SHIPPED_PRICES.map((p) => [p.model, p]));

const reduced = {
  startedAt: 0,
  model: 'claude-sonnet-4-5',
  reduction: { tokensBefore: 100_000, tokensAfter: 40_000, byLayer: { caps: 60_000 } },
};

function recordFor(status: number, extra: Record<string, unknown> = {}) {
  return buildUsageRecord({
    id: 'r1',
    endpoint: 'chat',
    record: { ...reduced, ...extra },
    projectId: 'default',
    keyId: 'k',
    client: null,
    status,
    endedAt: 10,
    prices: PRICES,
  });
}

test('a completed request claims its saving', () => {
  const ok = recordFor(200, { usage: { prompt: 40_000, completion: 10, cacheRead: 0, cacheWrite: 0 } });
  assert.ok(ok.baselineCostUsd > ok.costUsd);
  assert.equal(ok.reductionByLayer.caps, 60_000);
});

test('an upstream error, a refused request and an error after the stream began save nothing', () => {
  for (const failed of [recordFor(502), recordFor(400), recordFor(200, { errorType: 'overloaded_error' })]) {
    assert.equal(failed.baselineCostUsd, failed.costUsd);
    assert.deepEqual(failed.reductionByLayer, {});
    assert.equal(failed.tokensBefore, null);
  }
});

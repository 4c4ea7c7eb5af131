import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DailyRow, Totals, UsageRecord } from '../src/api/types.ts';
import {
  costSeries,
  dedupShare,
  hasSavings,
  latencySeries,
  matchesFilter,
  promptCacheShare,
  requestReduction,
  responseCacheRate,
  routeLabel,
  SAVINGS_METHOD,
  savedShare,
  savingsByProject,
  savingView,
  statusClass,
} from '../src/lib/metrics.ts';

const ZERO: Totals = {
  requests: 0, errors: 0, inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, tokensBefore: 0, tokensAfter: 0,
  costUsd: 0, baselineCostUsd: 0, savedUsd: 0, responseCacheHits: 0, avgLatencyMs: 0, p50LatencyMs: 0, p95LatencyMs: 0,
};

function day(date: string, projectId: string, t: Partial<Totals>): DailyRow {
  return { date, projectId, ...ZERO, ...t };
}

describe('cache rates', () => {
  test('prompt cache share is cache reads over every prompt token', () => {
    assert.equal(promptCacheShare({ inputTokens: 100, cacheReadTokens: 800, cacheWriteTokens: 100 }), 0.8);
    assert.equal(promptCacheShare({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }), null);
  });
  test('response cache rate is hits over requests', () => {
    assert.equal(responseCacheRate({ responseCacheHits: 3, requests: 12 }), 0.25);
    assert.equal(responseCacheRate({ responseCacheHits: 0, requests: 0 }), null);
  });
  test('dedup share is the dedup layer over the estimated input', () => {
    assert.equal(dedupShare([{ layer: 'strip', tokensSaved: 50 }, { layer: 'dedup', tokensSaved: 250 }], 1000), 0.25);
    assert.equal(dedupShare([{ layer: 'strip', tokensSaved: 50 }], 1000), 0);
    assert.equal(dedupShare([], 0), null);
  });
  test('saved share compares cost with the baseline', () => {
    assert.equal(savedShare(25, 100), 0.75);
    assert.equal(savedShare(0, 0), null);
  });
});

describe('daily series', () => {
  const range = { from: '2026-11-01', to: '2026-11-04' };
  const days = [
    day('2026-11-01', 'a', { costUsd: 1, baselineCostUsd: 3, savedUsd: 2, requests: 2, tokensBefore: 1000, tokensAfter: 600, avgLatencyMs: 100, p95LatencyMs: 300 }),
    day('2026-11-01', 'b', { costUsd: 2, baselineCostUsd: 2.5, savedUsd: 0.5, requests: 6, tokensBefore: 500, tokensAfter: 500, avgLatencyMs: 500, p95LatencyMs: 900 }),
    day('2026-11-03', 'b', { costUsd: 4, baselineCostUsd: 8, savedUsd: 4, requests: 1, tokensBefore: 2000, tokensAfter: 1000, avgLatencyMs: 50, p95LatencyMs: 50 }),
    day('2026-10-31', 'a', { costUsd: 99, requests: 99 }),
  ];

  test('cost per day sums projects and fills idle days with zeros', () => {
    assert.deepEqual(costSeries(days, range), [
      { date: '2026-11-01', costUsd: 3, baselineCostUsd: 5.5, savedUsd: 2.5, requests: 8 },
      { date: '2026-11-02', costUsd: 0, baselineCostUsd: 0, savedUsd: 0, requests: 0 },
      { date: '2026-11-03', costUsd: 4, baselineCostUsd: 8, savedUsd: 4, requests: 1 },
    ]);
  });

  test('savings per project stack by project, biggest saver first, in dollars or tokens', () => {
    const usd = savingsByProject(days.slice(0, 3), range, 'usd');
    assert.deepEqual(usd.projects, ['b', 'a']);
    assert.deepEqual(usd.rows, [
      { date: '2026-11-01', b: 0.5, a: 2 },
      { date: '2026-11-02', b: 0, a: 0 },
      { date: '2026-11-03', b: 4, a: 0 },
    ]);
    assert.equal(hasSavings(usd), true);
    assert.equal(hasSavings(savingsByProject([day('2026-11-01', 'a', { requests: 3 })], range, 'usd')), false);
    const tokens = savingsByProject(days.slice(0, 3), range, 'tokens');
    assert.deepEqual(tokens.projects, ['b', 'a']);
    assert.deepEqual(tokens.rows[0], { date: '2026-11-01', b: 0, a: 400 });
    assert.deepEqual(tokens.rows[2], { date: '2026-11-03', b: 1000, a: 0 });
  });

  test('latency per day is weighted by requests; idle days are gaps', () => {
    assert.deepEqual(latencySeries(days, range), [
      { date: '2026-11-01', avgLatencyMs: 400, p95LatencyMs: 900 },
      { date: '2026-11-02', avgLatencyMs: null, p95LatencyMs: null },
      { date: '2026-11-03', avgLatencyMs: 50, p95LatencyMs: 50 },
    ]);
  });
});

describe('one request', () => {
  const record = {
    id: 'req_1', ts: '2026-11-20T10:00:00.000Z', projectId: 'web', keyId: null, client: 'Cline/3', endpoint: 'chat',
    requestedModel: 'opus', model: 'claude-opus-5-5', routeReason: 'smart:opus score 0.72', stream: true, status: 429,
    errorType: 'rate_limit_error', latencyMs: 10, ttftMs: null, tokensBefore: 1000, tokensAfter: 750,
    reductionByLayer: { strip: 50, dedup: 200 }, inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0,
    costUsd: 0, baselineCostUsd: 0, cacheHit: null, batch: false, thinking: null,
  } satisfies UsageRecord;

  test('reduction and route read as a person would say them', () => {
    assert.deepEqual(requestReduction(record), { saved: 250, share: 0.25 });
    assert.deepEqual(requestReduction({ tokensBefore: null, tokensAfter: null }), { saved: 0, share: null });
    assert.equal(routeLabel(record), 'opus → claude-opus-5-5');
    assert.equal(routeLabel({ requestedModel: 'claude-opus-5-5', model: 'claude-opus-5-5', routeReason: null }), 'claude-opus-5-5');
    assert.equal(routeLabel({ requestedModel: 'gpt-4o', model: null, routeReason: null }), 'gpt-4o');
    assert.equal(routeLabel({ requestedModel: null, model: null, routeReason: null }), '—');
    assert.equal(statusClass(200), 'ok');
    assert.equal(statusClass(429), 'client');
    assert.equal(statusClass(503), 'server');
  });

  test('filters match project, either model, status family or code, and text', () => {
    assert.equal(matchesFilter(record, {}), true);
    assert.equal(matchesFilter(record, { project: 'web' }), true);
    assert.equal(matchesFilter(record, { project: 'other' }), false);
    assert.equal(matchesFilter(record, { model: 'opus' }), true);
    assert.equal(matchesFilter(record, { model: 'claude-opus-5-5' }), true);
    assert.equal(matchesFilter(record, { model: 'haiku' }), false);
    assert.equal(matchesFilter(record, { status: '4xx' }), true);
    assert.equal(matchesFilter(record, { status: '429' }), true);
    assert.equal(matchesFilter(record, { status: '2xx' }), false);
    assert.equal(matchesFilter(record, { q: 'SMART:OPUS' }), true);
    assert.equal(matchesFilter(record, { q: 'cline' }), true);
    assert.equal(matchesFilter(record, { q: 'nothing-like-it' }), false);
  });
});

describe('savingView', () => {
  test('a positive saving is a saving, shown in the good tone', () => {
    assert.deepEqual(savingView(1.5), { label: 'Saved', amountUsd: 1.5, tone: 'good' });
  });
  test('a negative saving reads as a cost, never in the good tone', () => {
    assert.deepEqual(savingView(-0.25), { label: 'Extra cost', amountUsd: 0.25, tone: 'bad' });
  });
  test('nothing saved is neutral', () => {
    assert.deepEqual(savingView(0), { label: 'Saved', amountUsd: 0, tone: 'neutral' });
  });
  test('the method is one line that names the baseline and failed requests', () => {
    assert.doesNotMatch(SAVINGS_METHOD, /\n/);
    assert.match(SAVINGS_METHOD, /uncached/);
    assert.match(SAVINGS_METHOD, /failed requests/);
  });
});

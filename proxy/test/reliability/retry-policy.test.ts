// Backoff, retry-after and the retry / fallback / give-up plan, as tables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelayMs, parseRetryAfterMs, planAfterFailure, type RetrySettings } from '../../src/reliability/retry-policy.ts';

const settings: RetrySettings = { enabled: true, maxAttempts: 3, baseMs: 500, maxDelayMs: 5_000 };

describe('backoff', () => {
  // [attempt that failed, random, delay]: half of base·2^(n-1) fixed, half jitter, capped at maxDelayMs.
  const table: Array<[number, number, number]> = [
    [1, 0, 250],
    [1, 1, 500],
    [2, 0, 500],
    [2, 0.5, 750],
    [3, 1, 2_000],
    [5, 1, 5_000],
    [9, 0, 2_500],
  ];
  for (const [attempt, random, delay] of table) {
    test(`attempt ${attempt}, random ${random} → ${delay} ms`, () => {
      assert.equal(backoffDelayMs(attempt, settings, () => random), delay);
    });
  }
});

describe('retry-after', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  const table: Array<[Record<string, string | undefined>, number | undefined]> = [
    [{ 'retry-after': '7' }, 7_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1250', 'retry-after': '9' }, 1_250],
    [{ 'retry-after': 'Fri, 20 Nov 2026 10:00:03 GMT' }, 3_000],
    [{ 'retry-after': 'Fri, 20 Nov 2026 09:00:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ];
  for (const [headers, ms] of table) {
    test(JSON.stringify(headers), () => assert.equal(parseRetryAfterMs(headers, now), ms));
  }
});

describe('after a failed attempt', () => {
  const retryable = { retryable: true, overloaded: false };
  const table: Array<{ name: string; input: Omit<Parameters<typeof planAfterFailure>[0], 'random' | 'settings'> & { settings?: RetrySettings }; plan: ReturnType<typeof planAfterFailure> }> = [
    { name: 'a 400 is never retried', input: { failure: { retryable: false, overloaded: false }, attemptsOnModel: 1, hasFallback: true }, plan: { action: 'give_up' } },
    { name: 'a 500 is retried with backoff', input: { failure: retryable, attemptsOnModel: 1, hasFallback: false }, plan: { action: 'retry', delayMs: 375 } },
    { name: 'a 429 waits what retry-after says', input: { failure: { ...retryable, retryAfterMs: 2_000 }, attemptsOnModel: 1, hasFallback: false }, plan: { action: 'retry', delayMs: 2_000 } },
    {
      name: 'a retry-after beyond the longest wait goes to the client',
      input: { failure: { ...retryable, retryAfterMs: 30_000 }, attemptsOnModel: 1, hasFallback: false },
      plan: { action: 'give_up' },
    },
    {
      name: '…or to the fallback model when there is one',
      input: { failure: { ...retryable, retryAfterMs: 30_000 }, attemptsOnModel: 1, hasFallback: true },
      plan: { action: 'fallback', why: 'retry-after too long' },
    },
    { name: 'an overloaded model hands over at once', input: { failure: { retryable: true, overloaded: true }, attemptsOnModel: 1, hasFallback: true }, plan: { action: 'fallback', why: 'overloaded' } },
    { name: 'overloaded with nowhere to go: retried', input: { failure: { retryable: true, overloaded: true }, attemptsOnModel: 2, hasFallback: false }, plan: { action: 'retry', delayMs: 750 } },
    { name: 'out of attempts', input: { failure: retryable, attemptsOnModel: 3, hasFallback: false }, plan: { action: 'give_up' } },
    { name: 'out of attempts with a fallback', input: { failure: retryable, attemptsOnModel: 3, hasFallback: true }, plan: { action: 'fallback', why: 'failing' } },
    {
      name: 'retries disabled',
      input: { failure: retryable, attemptsOnModel: 1, hasFallback: false, settings: { ...settings, enabled: false } },
      plan: { action: 'give_up' },
    },
  ];
  for (const { name, input, plan } of table) {
    test(name, () => {
      assert.deepEqual(planAfterFailure({ settings, random: () => 0.5, ...input }), plan);
    });
  }
});

// Sliding-window arithmetic as a table, the local store rolling its windows, and the limiter's charges,
// corrections, headers and 429.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalRateLimitStore } from '../../src/reliability/rate-limit-store.ts';
import { durationText, rateLimitError, rateLimitHeaders, RateLimiter } from '../../src/reliability/rate-limiter.ts';
import { checkWindow, slidingUsage, waitForRoom } from '../../src/reliability/sliding-window.ts';

const W = 60_000;

describe('sliding window', () => {
  // now is given as the time into the current window; counts as [previous, current].
  const table: Array<{ name: string; counts: [number, number]; into: number; limit: number; cost: number; expect: Partial<ReturnType<typeof checkWindow>> }> = [
    { name: 'empty window', counts: [0, 0], into: 0, limit: 10, cost: 1, expect: { allowed: true, remaining: 9, resetMs: 60_000, retryAfterMs: 0 } },
    { name: 'the previous window weighs by what is left of it', counts: [10, 0], into: 30_000, limit: 10, cost: 1, expect: { allowed: true, remaining: 4, used: 5 } },
    { name: 'full: refused until the previous window has slid out enough', counts: [10, 5], into: 30_000, limit: 10, cost: 1, expect: { allowed: false, remaining: 0, retryAfterMs: 6_000 } },
    { name: 'full on the current window alone: wait into the next one', counts: [0, 10], into: 45_000, limit: 10, cost: 1, expect: { allowed: false, retryAfterMs: 15_000 + 6_000 } },
    { name: 'an exact fit is allowed', counts: [0, 9], into: 1, limit: 10, cost: 1, expect: { allowed: true, remaining: 0 } },
    { name: 'tokens: a request bigger than the limit needs the whole window free', counts: [0, 0], into: 0, limit: 1_000, cost: 5_000, expect: { allowed: true, remaining: 0 } },
    { name: 'tokens: …and waits for it otherwise', counts: [0, 100], into: 0, limit: 1_000, cost: 5_000, expect: { allowed: false, retryAfterMs: 120_000 } },
    { name: 'limit 0 means unlimited', counts: [999, 999], into: 0, limit: 0, cost: 1, expect: { allowed: true } },
  ];
  for (const c of table) {
    test(c.name, () => {
      const now = 10 * W + c.into;
      const verdict = checkWindow({ counts: { previous: c.counts[0], current: c.counts[1] }, now, windowMs: W, limit: c.limit, cost: c.cost });
      for (const [key, value] of Object.entries(c.expect)) assert.equal(verdict[key as keyof typeof verdict], value, key);
    });
  }

  test('usage and waits agree: after the wait the request fits', () => {
    const counts = { previous: 37, current: 21 };
    const now = 5 * W + 12_345;
    const wait = waitForRoom(counts, now, W, 49);
    assert.ok(slidingUsage(counts, now, W) > 49);
    // Past the rollover the current count becomes the previous one.
    const later = now + wait;
    const rolled = Math.floor(later / W) === Math.floor(now / W) ? counts : { previous: counts.current, current: 0 };
    assert.ok(slidingUsage(rolled, later, W) <= 49 + 1e-9);
    assert.ok(slidingUsage(rolled, later - 2, W) > 49 - 0.01);
  });
});

describe('local store', () => {
  test('counts roll from the current window to the previous one and then expire', async () => {
    const store = createLocalRateLimitStore();
    await store.add('k', 0, W, 3);
    assert.deepEqual(await store.read('k', 0, W), { previous: 0, current: 3 });
    assert.deepEqual(await store.read('k', W, W), { previous: 3, current: 0 });
    await store.add('k', W, W, 2);
    await store.add('k', 0, W, -1); // a correction to the window the charge was made in
    assert.deepEqual(await store.read('k', W, W), { previous: 2, current: 2 });
    assert.deepEqual(await store.read('k', 3 * W, W), { previous: 0, current: 0 });
  });
});

describe('limiter', () => {
  test('charges requests and estimated tokens, corrects tokens afterwards, refuses past the limit', async () => {
    let now = 100 * W + 1_000;
    const limiter = new RateLimiter(createLocalRateLimitStore(), () => now);
    const limits = { rpm: 2, tpm: 1_000 };
    const first = await limiter.admit('p1', limits, 300);
    assert.equal(first.allowed, true);
    assert.deepEqual(first.charge, { projectId: 'p1', windowStart: 100 * W, tokens: 300 });
    assert.deepEqual(rateLimitHeaders(first), {
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': '59',
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-reset-requests': '59s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '700',
      'x-ratelimit-reset-tokens': '59s',
    });
    await limiter.settle(first.charge!, 900); // it really used 900
    const second = await limiter.admit('p1', limits, 200);
    assert.equal(second.allowed, false);
    assert.equal(second.blockedBy, 'tokens');
    assert.equal(second.charge, undefined);

    const other = await limiter.admit('p2', limits, 200);
    assert.equal(other.allowed, true, 'projects are counted apart');

    const small = await limiter.admit('p1', limits, 50);
    assert.equal(small.allowed, true);
    const third = await limiter.admit('p1', limits, 0);
    assert.equal(third.blockedBy, 'requests');
    const error = rateLimitError(third, 'p1', 'openai');
    assert.equal(error.status, 429);
    assert.deepEqual(error.toJSON().error, {
      message: "Rate limit reached for project 'p1' on requests per min (RPM): Limit 2, Used 2. Please try again in 89s.",
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    // Both requests sit in the current window: they weigh fully until it rolls over (59 s), then half as much 30 s later.
    assert.equal(error.headers['retry-after'], '89');
    assert.equal(error.headers['x-ratelimit-remaining'], '0');

    now += W; // half a minute into the next window the old requests still weigh half
    assert.equal((await limiter.admit('p1', limits, 0, false)).requests!.remaining, 0);
  });

  test('durations in OpenAI style', () => {
    assert.equal(durationText(1), '1s');
    assert.equal(durationText(59_001), '1m0s');
    assert.equal(durationText(360_000), '6m0s');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, daysOf, isValidDay, lastDays } from '../src/lib/dates.ts';
import { compactUsd, feedTime, ms, percent, relativeTime, shortDay, tokens, usd } from '../src/lib/format.ts';

describe('numbers on screen', () => {
  test('money keeps the precision its size needs', () => {
    assert.equal(usd(0), '$0.00');
    assert.equal(usd(0.00123), '$0.0012');
    assert.equal(usd(0.5), '$0.500');
    assert.equal(usd(1234.567), '$1,234.57');
    assert.equal(usd(Number.NaN), '—');
  });
  test('axis money never shows two ticks alike', () => {
    assert.deepEqual([0, 0.45, 0.9, 1.35, 1.8].map(compactUsd), ['$0', '$0.45', '$0.90', '$1.35', '$1.80']);
    assert.deepEqual([2, 25, 1500, 25_000, 0.004].map(compactUsd), ['$2', '$25', '$1.5k', '$25k', '$0.0040']);
  });
  test('tokens, percentages and durations', () => {
    assert.deepEqual([950, 9999, 12_345, 1_430_000, 2_000_000_000].map(tokens), ['950', '9,999', '12.3k', '1.43M', '2B']);
    assert.equal(percent(0.65), '65%');
    assert.equal(percent(0.042), '4.2%');
    assert.equal(percent(0), '0%');
    assert.equal(percent(null), '—');
    assert.deepEqual([388, 2400, 12_500].map(ms), ['388 ms', '2.40 s', '12.5 s']);
  });
  test('times', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    assert.equal(shortDay('2026-11-03'), 'Nov 3');
    // Rendered in the machine's zone: compare against the same formatting of the same instants.
    const today = new Date(now - 60_000);
    assert.equal(feedTime(today.toISOString(), now), today.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }));
    assert.match(feedTime('2026-11-10T08:00:00Z', now), /^Nov 10, \d\d:\d\d$/);
    assert.equal(relativeTime(null, now), 'never');
    assert.equal(relativeTime('2026-11-21T11:59:30Z', now), 'just now');
    assert.equal(relativeTime('2026-11-21T11:50:00Z', now), '10 min ago');
    assert.equal(relativeTime('2026-11-18T12:00:00Z', now), '3 days ago');
  });
});

describe('date ranges', () => {
  test('the last N days include today and end tomorrow (exclusive)', () => {
    assert.deepEqual(lastDays(7, Date.parse('2026-11-21T23:59:00Z')), { from: '2026-11-15', to: '2026-11-22' });
    assert.deepEqual(lastDays(1, Date.parse('2026-11-21T00:00:00Z')), { from: '2026-11-21', to: '2026-11-22' });
  });
  test('days of a range cross month ends and stay bounded', () => {
    assert.deepEqual(daysOf({ from: '2026-10-30', to: '2026-11-02' }), ['2026-10-30', '2026-10-31', '2026-11-01']);
    assert.equal(daysOf({ from: '2000-01-01', to: '2030-01-01' }).length, 731);
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  });
  test('only real calendar days are valid', () => {
    assert.equal(isValidDay('2026-02-28'), true);
    assert.equal(isValidDay('2026-02-30'), false);
    assert.equal(isValidDay('2026-2-3'), false);
    assert.equal(isValidDay(''), false);
  });
});

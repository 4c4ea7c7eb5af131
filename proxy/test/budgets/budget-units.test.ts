// The pure parts of spend budgets: period bounds in UTC, states and messages, and the admin body parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetStatus, exceededMessage, periodBounds, type Budget } from '../../src/budgets/budget.ts';
import { parseBudgetBody } from '../../src/budgets/budget-input.ts';

const at = Date.parse('2026-12-09T15:30:00Z'); // a Wednesday

describe('periods', () => {
  test('a day, a week from Monday and a calendar month, in UTC', () => {
    assert.deepEqual(periodBounds('day', at), { key: 'day:2026-12-09', start: Date.parse('2026-12-09T00:00:00Z'), end: Date.parse('2026-12-10T00:00:00Z') });
    assert.deepEqual(periodBounds('week', at), { key: 'week:2026-12-07', start: Date.parse('2026-12-07T00:00:00Z'), end: Date.parse('2026-12-14T00:00:00Z') });
    assert.deepEqual(periodBounds('month', at), { key: 'month:2026-12', start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') });
    assert.equal(periodBounds('week', Date.parse('2026-12-13T23:59:59Z')).key, 'week:2026-12-07');
    assert.equal(periodBounds('week', Date.parse('2026-12-14T00:00:00Z')).key, 'week:2026-12-14');
  });
});

describe('states', () => {
  const budget: Budget = { scope: 'project', subject: 'team-a', period: 'day', limitUsd: 10, softPercent: 80, totalUsd: 100 };
  test('ok, soft at the threshold, exceeded at the limit or the total', () => {
    assert.equal(budgetStatus(budget, { period: 7.99, total: 50 }, at).state, 'ok');
    assert.equal(budgetStatus(budget, { period: 8, total: 50 }, at).state, 'soft');
    assert.equal(budgetStatus(budget, { period: 10, total: 50 }, at).exceeded, 'period');
    assert.equal(budgetStatus(budget, { period: 1, total: 100 }, at).exceeded, 'total');
  });
  test('the message says what was spent, of what, and when it resets', () => {
    const status = budgetStatus(budget, { period: 10.5, total: 50 }, at);
    assert.equal(exceededMessage(budget, status), 'Project "team-a" has spent $10.50 of its daily budget of $10.00; requests are refused until it resets at 2026-12-10T00:00:00.000Z.');
  });
});

describe('the admin body', () => {
  test('defaults and rounding', () => {
    assert.deepEqual(parseBudgetBody({ period: 'month', limitUsd: 250 }, 'key', 'pk_1'), { scope: 'key', subject: 'pk_1', period: 'month', limitUsd: 250, softPercent: 80, totalUsd: null });
  });
  test('each bad field is named', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ period: 'year', limitUsd: 1 }, /period must be one of day, week, month/],
      [{ period: 'day', limitUsd: -1 }, /limitUsd must be a number/],
      [{ period: 'day', limitUsd: 1, softPercent: 0 }, /softPercent must be/],
      [{ period: 'day', limitUsd: 1, totalUsd: 'lots' }, /totalUsd must be a number/],
      [{ period: 'day', limitUsd: 1, color: 'red' }, /Unknown field "color"/],
      [[], /must be a JSON object/],
    ];
    for (const [body, message] of bad) assert.throws(() => parseBudgetBody(body, 'project', 'p'), message);
  });
});

// The budget form's check: dollars in, a budget out, or a message per bad field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formFromBudget, inputFromBudgetForm } from '../src/lib/budget-form.ts';

test('a filled form becomes a budget; an empty total means none', () => {
  assert.deepEqual(inputFromBudgetForm({ period: 'week', limitUsd: '$120.50', softPercent: '75', totalUsd: '' }), {
    input: { period: 'week', limitUsd: 120.5, softPercent: 75, totalUsd: null },
  });
});

test('each bad field gets its own message', () => {
  const result = inputFromBudgetForm({ period: 'day', limitUsd: 'lots', softPercent: '0', totalUsd: '-3' });
  assert.ok('errors' in result);
  assert.deepEqual(Object.keys(result.errors).sort(), ['limitUsd', 'softPercent', 'totalUsd']);
});

test('a stored budget fills the form back', () => {
  assert.deepEqual(formFromBudget({ period: 'month', limitUsd: 250, softPercent: 80, totalUsd: 1000 }), { period: 'month', limitUsd: '250', softPercent: '80', totalUsd: '1000' });
});

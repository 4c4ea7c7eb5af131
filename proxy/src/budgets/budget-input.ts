// Validation of a budget sent to PUT /admin/budgets/:scope/:subject: every field checked, a 400 naming the first
// bad one.
import { invalidRequest } from '../errors.ts';
import { BUDGET_PERIODS, BUDGET_SCOPES, type Budget, type BudgetPeriod, type BudgetScope } from './budget.ts';

const FIELDS = ['period', 'limitUsd', 'softPercent', 'totalUsd'];
const SUBJECT = /^[A-Za-z0-9_-]{1,80}$/;

function money(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e9) throw invalidRequest(`${name} must be a number of dollars between 0 and 1000000000`, name);
  return Math.round(value * 1e6) / 1e6;
}

export function parseScope(scope: string, subject: string): { scope: BudgetScope; subject: string } {
  if (!(BUDGET_SCOPES as readonly string[]).includes(scope)) throw invalidRequest(`scope must be one of ${BUDGET_SCOPES.join(', ')}`, 'scope');
  if (!SUBJECT.test(subject)) throw invalidRequest('the project or key id must be 1 to 80 letters, digits, "-" or "_"', 'subject');
  return { scope: scope as BudgetScope, subject };
}

export function parseBudgetBody(body: unknown, scope: BudgetScope, subject: string): Budget {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key) && key !== 'scope' && key !== 'subject') throw invalidRequest(`Unknown field "${key}". Budget fields: ${FIELDS.join(', ')}.`, key);
  }
  if (!(BUDGET_PERIODS as readonly unknown[]).includes(input.period)) throw invalidRequest(`period must be one of ${BUDGET_PERIODS.join(', ')}`, 'period');
  const softPercent = input.softPercent === undefined ? 80 : input.softPercent;
  if (typeof softPercent !== 'number' || !Number.isFinite(softPercent) || softPercent < 1 || softPercent > 100) {
    throw invalidRequest('softPercent must be a number between 1 and 100', 'softPercent');
  }
  return {
    scope,
    subject,
    period: input.period as BudgetPeriod,
    limitUsd: money(input.limitUsd, 'limitUsd'),
    softPercent,
    totalUsd: input.totalUsd === undefined || input.totalUsd === null ? null : money(input.totalUsd, 'totalUsd'),
  };
}

/** The JSON schema the admin route declares for its body; the parser above gives the precise, named errors. */
export const BUDGET_BODY_SCHEMA = { type: 'object' } as const;

// Spend budgets: what a project or a key may spend in dollars per day, week or month (and in all), when it is
// warned, and what a request gets once the money is gone. Pure: the clock is passed in.

export type BudgetScope = 'project' | 'key';
export type BudgetPeriod = 'day' | 'week' | 'month';

export const BUDGET_SCOPES: readonly BudgetScope[] = ['project', 'key'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

export interface Budget {
  scope: BudgetScope;
  /** The project id, or the key id (pk_… / key_…). */
  subject: string;
  period: BudgetPeriod;
  /** Hard limit for the period: requests are refused with 429 until it resets. */
  limitUsd: number;
  /** Share of the limit (percent) at which the project is flagged. */
  softPercent: number;
  /** Optional lifetime cap, never reset. */
  totalUsd: number | null;
}

export interface Spend {
  period: number;
  total: number;
}

export type BudgetState = 'ok' | 'soft' | 'exceeded';

export interface BudgetStatus {
  state: BudgetState;
  /** Which cap is reached, when it is. */
  exceeded: 'period' | 'total' | null;
  spend: Spend;
  periodStart: string;
  resetsAt: string;
}

const DAY = 86_400_000;

/** The period the instant `now` falls in, in UTC: days from midnight, weeks from Monday, calendar months. */
export function periodBounds(period: BudgetPeriod, now: number): { key: string; start: number; end: number } {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return { key: `day:${new Date(midnight).toISOString().slice(0, 10)}`, start: midnight, end: midnight + DAY };
  if (period === 'week') {
    const start = midnight - ((d.getUTCDay() + 6) % 7) * DAY;
    return { key: `week:${new Date(start).toISOString().slice(0, 10)}`, start, end: start + 7 * DAY };
  }
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { key: `month:${new Date(start).toISOString().slice(0, 7)}`, start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export function budgetStatus(budget: Budget, spend: Spend, now: number): BudgetStatus {
  const bounds = periodBounds(budget.period, now);
  const overTotal = budget.totalUsd !== null && spend.total >= budget.totalUsd;
  const overPeriod = spend.period >= budget.limitUsd;
  const soft = spend.period >= (budget.limitUsd * budget.softPercent) / 100 || (budget.totalUsd !== null && spend.total >= (budget.totalUsd * budget.softPercent) / 100);
  return {
    state: overPeriod || overTotal ? 'exceeded' : soft ? 'soft' : 'ok',
    exceeded: overTotal ? 'total' : overPeriod ? 'period' : null,
    spend,
    periodStart: new Date(bounds.start).toISOString(),
    resetsAt: new Date(bounds.end).toISOString(),
  };
}

const PERIOD_WORD: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

const money = (usd: number) => `$${usd.toFixed(2)}`;

/** What the client is told when a budget refuses its request. */
export function exceededMessage(budget: Budget, status: BudgetStatus): string {
  const who = budget.scope === 'project' ? `Project "${budget.subject}"` : `API key ${budget.subject}`;
  if (status.exceeded === 'total') {
    return `${who} has spent ${money(status.spend.total)} of its total budget of ${money(budget.totalUsd ?? 0)}. Ask an administrator to raise it.`;
  }
  return `${who} has spent ${money(status.spend.period)} of its ${PERIOD_WORD[budget.period]} budget of ${money(budget.limitUsd)}; requests are refused until it resets at ${status.resetsAt}.`;
}

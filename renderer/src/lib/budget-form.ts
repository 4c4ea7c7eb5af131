// The budget form's text fields and their check, kept out of the component so it can be tested alone.
import type { BudgetInput, BudgetPeriod } from '../api/types.ts';

export interface BudgetForm {
  period: BudgetPeriod;
  limitUsd: string;
  softPercent: string;
  totalUsd: string;
}

export type BudgetFormErrors = Partial<Record<keyof BudgetForm, string>>;

export const EMPTY_BUDGET: BudgetForm = { period: 'month', limitUsd: '', softPercent: '80', totalUsd: '' };

export function formFromBudget(b: BudgetInput | undefined): BudgetForm {
  if (!b) return EMPTY_BUDGET;
  return { period: b.period, limitUsd: String(b.limitUsd), softPercent: String(b.softPercent), totalUsd: b.totalUsd === null ? '' : String(b.totalUsd) };
}

function dollars(text: string): number | undefined {
  const value = Number(text.trim().replace(/^\$/, ''));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function inputFromBudgetForm(form: BudgetForm): { input: BudgetInput } | { errors: BudgetFormErrors } {
  const errors: BudgetFormErrors = {};
  const limit = dollars(form.limitUsd);
  if (limit === undefined) errors.limitUsd = 'A dollar amount, e.g. 250';
  const soft = Number(form.softPercent);
  if (!Number.isFinite(soft) || soft < 1 || soft > 100) errors.softPercent = 'A percentage from 1 to 100';
  const total = form.totalUsd.trim() === '' ? null : dollars(form.totalUsd);
  if (total === undefined) errors.totalUsd = 'A dollar amount, or empty for none';
  if (Object.keys(errors).length > 0) return { errors };
  return { input: { period: form.period, limitUsd: limit!, softPercent: soft, totalUsd: total ?? null } };
}

// A spend budget (a project's, in its page, or one key's, from the keys table): what it spent this period, its
// state, and an editor.
import { useState, type FormEvent } from 'react';
import type { Budget } from '../api/types.ts';
import { Badge, Panel } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { formFromBudget, inputFromBudgetForm, type BudgetForm, type BudgetFormErrors } from '../lib/budget-form.ts';
import { dateTime, usd } from '../lib/format.ts';

const PERIODS = [
  ['day', 'Per day'],
  ['week', 'Per week'],
  ['month', 'Per month'],
] as const;

const SPENT_IN = { day: 'today', week: 'this week', month: 'this month' } as const;

export function budgetTone(state: Budget['status']['state']): 'good' | 'warn' | 'bad' {
  return state === 'exceeded' ? 'bad' : state === 'soft' ? 'warn' : 'good';
}

export interface BudgetSubject {
  scope: Budget['scope'];
  /** The project id, or the key id. */
  id: string;
}

export function BudgetPanel({ subject, budget, onChanged, bare = false }: { subject: BudgetSubject; budget: Budget | undefined; onChanged(): void; bare?: boolean }) {
  const { client } = useApp();
  const [form, setForm] = useState<BudgetForm>(formFromBudget(budget));
  const [errors, setErrors] = useState<BudgetFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const set = (key: keyof BudgetForm, value: string) => setForm((f) => ({ ...f, [key]: value }));

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setServerError(undefined);
    try {
      await action();
      onChanged();
    } catch (error) {
      setServerError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    const result = inputFromBudgetForm(form);
    if ('errors' in result) return setErrors(result.errors);
    setErrors({});
    void run(() => client.putBudget(subject.scope, subject.id, result.input));
  };

  const content = (
    <>
      {budget && (
        <p data-testid="budget-status">
          <Badge tone={budgetTone(budget.status.state)}>{budget.status.state === 'exceeded' ? 'over budget' : budget.status.state === 'soft' ? 'near budget' : 'within budget'}</Badge>{' '}
          {usd(budget.status.spend.period)} of {usd(budget.limitUsd)} {SPENT_IN[budget.period]}
          {budget.totalUsd !== null && ` · ${usd(budget.status.spend.total)} of ${usd(budget.totalUsd)} in all`} · resets {dateTime(budget.status.resetsAt)}
        </p>
      )}
      <form className="form" onSubmit={save} noValidate data-testid="budget-form">
        <BudgetFields form={form} errors={errors} set={set} />
        {serverError && <p className="form-error" role="alert">{serverError}</p>}
        <div className="form-actions">
          {budget && (
            <button type="button" className="btn btn-danger-ghost" disabled={busy} onClick={() => void run(() => client.deleteBudget(subject.scope, subject.id))}>
              Remove budget
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : budget ? 'Save budget' : 'Set budget'}</button>
        </div>
      </form>
    </>
  );
  if (bare) return content;
  return (
    <Panel title="Spend budget" subtitle="Requests are refused (429 budget_exceeded) once the limit is spent, until the period resets (UTC)." testId="budget-panel">
      {content}
    </Panel>
  );
}

function BudgetFields({ form, errors, set }: { form: BudgetForm; errors: BudgetFormErrors; set(key: keyof BudgetForm, value: string): void }) {
  return (
    <div className="form-row">
      <label className="field">
        <span>Period</span>
        <select className="input" name="period" value={form.period} onChange={(e) => set('period', e.target.value)}>
          {PERIODS.map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </label>
      <BudgetField label="Limit ($)" name="limitUsd" value={form.limitUsd} error={errors.limitUsd} onChange={(v) => set('limitUsd', v)} placeholder="e.g. 250" />
      <BudgetField label="Warn at (%)" name="softPercent" value={form.softPercent} error={errors.softPercent} onChange={(v) => set('softPercent', v)} placeholder="80" />
      <BudgetField label="Total cap ($)" name="totalUsd" value={form.totalUsd} error={errors.totalUsd} onChange={(v) => set('totalUsd', v)} placeholder="none" />
    </div>
  );
}

function BudgetField({ label, name, value, error, onChange, placeholder }: { label: string; name: string; value: string; error?: string; onChange(v: string): void; placeholder: string }) {
  return (
    <label className={`field${error ? ' has-error' : ''}`}>
      <span>{label}</span>
      <input className="input" name={name} inputMode="decimal" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

// The project policy form, used both to create a project and to edit one.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { ProjectInput } from '../api/types.ts';
import { Toggle } from '../components/ui.tsx';
import { inputFromForm, REDUCTION_LAYERS, type FormErrors, type ProjectForm } from '../lib/project-form.ts';

export function ProjectEditor({
  initial,
  models,
  submitLabel,
  onSubmit,
  onCancel,
  busy,
  serverError,
}: {
  initial: ProjectForm;
  models: string[];
  submitLabel: string;
  onSubmit(input: ProjectInput): void;
  onCancel?: () => void;
  busy: boolean;
  serverError?: string;
}) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const id = useId();
  const set = <K extends keyof ProjectForm>(key: K, value: ProjectForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // An edited field's old complaint no longer applies; the next submit checks again.
    setErrors((e) => (key in e ? { ...e, [key]: undefined } : e));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = inputFromForm(form);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit(result.input);
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="project-form">
      <Field label="Name" error={errors.name} htmlFor={`${id}-name`}>
        <input id={`${id}-name`} name="name" className="input" value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. web-app" autoComplete="off" />
      </Field>
      <div className="form-row">
        <Field label="Requests per minute" hint="Empty: the gateway default" error={errors.rateLimitRpm} htmlFor={`${id}-rpm`}>
          <input id={`${id}-rpm`} name="rateLimitRpm" className="input" inputMode="numeric" value={form.rateLimitRpm} onChange={(e) => set('rateLimitRpm', e.target.value)} placeholder="default" />
        </Field>
        <Field label="Tokens per minute" hint="Empty: no token limit" error={errors.tokensPerMinute} htmlFor={`${id}-tpm`}>
          <input id={`${id}-tpm`} name="tokensPerMinute" className="input" inputMode="numeric" value={form.tokensPerMinute} onChange={(e) => set('tokensPerMinute', e.target.value)} placeholder="default" />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Default model" hint="Used when a request names none or an alias" htmlFor={`${id}-model`}>
          <input id={`${id}-model`} name="defaultModel" className="input" list={`${id}-models`} value={form.defaultModel} onChange={(e) => set('defaultModel', e.target.value)} placeholder="gateway default" />
          <datalist id={`${id}-models`}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </Field>
        <Field label="Max output tokens" hint="Caps max_tokens on every request" error={errors.maxTokensCap} htmlFor={`${id}-cap`}>
          <input id={`${id}-cap`} name="maxTokensCap" className="input" inputMode="numeric" value={form.maxTokensCap} onChange={(e) => set('maxTokensCap', e.target.value)} placeholder="no cap" />
        </Field>
      </div>
      <Field label="Allowed tools" hint="Comma-separated gateway tool names; empty allows every enabled tool" htmlFor={`${id}-tools`}>
        <input id={`${id}-tools`} name="allowedTools" className="input" value={form.allowedTools} onChange={(e) => set('allowedTools', e.target.value)} placeholder="all enabled tools" />
      </Field>
      <Field label="Fallback chain" hint="Models to try in order when one is overloaded" htmlFor={`${id}-fallback`}>
        <input id={`${id}-fallback`} name="fallbackChain" className="input" list={`${id}-models`} value={form.fallbackChain} onChange={(e) => set('fallbackChain', e.target.value)} placeholder="e.g. claude-opus-5-5, claude-sonnet-5-5" />
      </Field>
      <fieldset className="fieldset">
        <legend>
          Token reduction
          {Object.keys(form.reduction).length > 0 && (
            <button type="button" className="link-btn" onClick={() => set('reduction', {})}>
              reset to gateway defaults
            </button>
          )}
        </legend>
        <div className="switch-grid">
          {REDUCTION_LAYERS.map(({ layer, label, hint }) => {
            const explicit = form.reduction[layer];
            return (
              <div key={layer} className="switch-item" title={hint}>
                <Toggle
                  name={`reduction.${layer}`}
                  checked={explicit ?? true}
                  onChange={(next) => set('reduction', { ...form.reduction, [layer]: next })}
                  label={
                    <>
                      {label}
                      {explicit === undefined && <span className="muted small"> · default</span>}
                    </>
                  }
                />
              </div>
            );
          })}
        </div>
      </fieldset>
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

function Field({ label, hint, error, htmlFor, children }: { label: string; hint?: string; error?: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </div>
  );
}

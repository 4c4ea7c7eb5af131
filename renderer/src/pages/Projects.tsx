// Projects and keys: each project carries its own policy (limits, default model, tools, reduction) and its own
// keys. A new key is shown once; afterwards only its prefix is known.
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { CreatedKey, KeyInfo, Project, ProjectInput } from '../api/types.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { Badge, CopyButton, Modal, PageHeader, Panel } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { dateTime, relativeTime, usd } from '../lib/format.ts';
import { EMPTY_FORM, formFromProject, REDUCTION_LAYERS } from '../lib/project-form.ts';
import { href, navigate } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { ProjectEditor } from './ProjectEditor.tsx';
import { BudgetPanel, budgetTone } from './BudgetPanel.tsx';
import type { Budget } from '../api/types.ts';

export interface ProjectsResource {
  data: Project[] | undefined;
  error: Error | undefined;
  reload(): void;
}

function message(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

export function Projects({ projects, selectedId }: { projects: ProjectsResource; selectedId?: string }) {
  const { client } = useApp();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string>();
  const models = useResource(() => client.models().then((list) => list.data.map((m) => m.id)), [client]);
  // A gateway started without ENABLE_MULTI_PROJECT has only the default project and refuses new ones and keys.
  const settings = useResource(() => client.settings(), [client]);
  const single = settings.data?.features.multiProject === false;
  // Project budgets, to flag projects near or over theirs in the list and to edit them in the detail.
  const budgets = useResource(() => client.budgets().then((b) => new Map(b.budgets.map((x) => [`${x.scope}:${x.subject}`, x]))), [client]);

  const create = async (input: ProjectInput) => {
    setBusy(true);
    setCreateError(undefined);
    try {
      const project = await client.createProject(input);
      setCreating(false);
      projects.reload();
      navigate({ page: 'projects', id: project.id });
    } catch (error) {
      setCreateError(message(error));
    } finally {
      setBusy(false);
    }
  };

  const list = projects.data;
  const selected = list?.find((p) => p.id === selectedId) ?? (selectedId ? undefined : list?.[0]);

  return (
    <div className="page" data-page="projects">
      <PageHeader title="Projects and keys" description="Each project has its own limits, default model, tools, reduction switches and keys.">
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={single}>
          New project
        </button>
      </PageHeader>
      {single && (
        <p className="callout" data-testid="single-project">
          <strong>Projects are turned off on this gateway.</strong> The default project's policy applies to the gateway key and can be
          edited here. Start the gateway with <code>ENABLE_MULTI_PROJECT=1</code> to create projects and project keys.
        </p>
      )}
      {!list ? (
        projects.error ? (
          <ErrorState error={projects.error} onRetry={projects.reload} />
        ) : (
          <Loading rows={5} label="Loading projects" />
        )
      ) : list.length === 0 ? (
        <Panel>
          <Empty title="No projects yet" icon="folder">
            Create a project to give a team or an app its own key, limits and savings report.
          </Empty>
        </Panel>
      ) : (
        <div className="split">
          <nav className="project-list" aria-label="Projects">
            {list.map((p) => (
              <a key={p.id} href={href({ page: 'projects', id: p.id })} className={`project-item${selected?.id === p.id ? ' active' : ''}`} data-project-id={p.id}>
                <span className="project-name">
                  {p.name} <BudgetFlag budget={budgets.data?.get(`project:${p.id}`)} />
                </span>
                <span className="project-meta">
                  {p.keys.filter((k) => !k.revokedAt).length} active key{p.keys.filter((k) => !k.revokedAt).length === 1 ? '' : 's'}
                  {p.defaultModel ? ` · ${p.defaultModel}` : ''}
                </span>
              </a>
            ))}
          </nav>
          {selected ? (
            <ProjectDetail key={selected.id} project={selected} models={models.data ?? []} onChanged={projects.reload} canCreateKeys={!single} budgets={budgets.data} onBudgetChanged={budgets.reload} />
          ) : (
            <Panel>
              <Empty title="This project does not exist" icon="folder">
                It may have been deleted. <a href={href({ page: 'projects' })}>Back to projects</a>
              </Empty>
            </Panel>
          )}
        </div>
      )}
      {creating && (
        <Modal title="New project" onClose={() => setCreating(false)} wide>
          <ProjectEditor initial={EMPTY_FORM} models={models.data ?? []} submitLabel="Create project" onSubmit={create} onCancel={() => setCreating(false)} busy={busy} serverError={createError} />
        </Modal>
      )}
    </div>
  );
}

function KeyBudget({ budget }: { budget: Budget | undefined }) {
  if (!budget) return <span className="muted small">none </span>;
  return (
    <span className="small" data-testid="key-budget">
      <Badge tone={budgetTone(budget.status.state)}>{budget.status.state === 'exceeded' ? 'spent' : budget.status.state === 'soft' ? 'near' : 'ok'}</Badge> {usd(budget.status.spend.period)} / {usd(budget.limitUsd)}{' '}
    </span>
  );
}

function BudgetFlag({ budget }: { budget: Budget | undefined }) {
  if (!budget || budget.status.state === 'ok') return null;
  return <Badge tone={budgetTone(budget.status.state)}>{budget.status.state === 'exceeded' ? 'over budget' : 'near budget'}</Badge>;
}

function ProjectDetail({ project, models, onChanged, canCreateKeys, budgets, onBudgetChanged }: { project: Project; models: string[]; onChanged(): void; canCreateKeys: boolean; budgets: ReadonlyMap<string, Budget> | undefined; onBudgetChanged(): void }) {
  const budget = budgets?.get(`project:${project.id}`);
  const { client } = useApp();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const isDefault = project.id === 'default';

  const save = async (input: ProjectInput) => {
    setBusy(true);
    setError(undefined);
    try {
      await client.updateProject(project.id, input);
      setEditing(false);
      onChanged();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await client.deleteProject(project.id);
      setConfirmDelete(false);
      onChanged();
      navigate({ page: 'projects' });
    } catch (e) {
      setError(message(e));
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="project-detail" data-testid="project-detail">
      <Panel
        title={project.name}
        subtitle={
          <>
            <code className="mono">{project.id}</code> · created {dateTime(project.createdAt)}
          </>
        }
        actions={
          !editing && (
            <>
              <button type="button" className="btn" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button
                type="button"
                className="btn btn-danger-ghost"
                onClick={() => setConfirmDelete(true)}
                disabled={isDefault}
                title={isDefault ? 'The default project holds the gateway key and cannot be deleted' : undefined}
              >
                Delete
              </button>
            </>
          )
        }
      >
        {error && !editing && <ErrorState error={new Error(error)} compact />}
        {editing ? (
          <ProjectEditor initial={formFromProject(project)} models={models} submitLabel="Save changes" onSubmit={save} onCancel={() => setEditing(false)} busy={busy} serverError={error} />
        ) : (
          <PolicySummary project={project} />
        )}
      </Panel>
      <BudgetPanel key={budgetKey(budget)} subject={{ scope: 'project', id: project.id }} budget={budget} onChanged={onBudgetChanged} />
      <KeysPanel project={project} onChanged={onChanged} canCreate={canCreateKeys} budgets={budgets} onBudgetChanged={onBudgetChanged} />
      {confirmDelete && (
        <Modal
          title={`Delete ${project.name}?`}
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <button type="button" className="btn btn-ghost" onClick={() => setConfirmDelete(false)}>
                Keep it
              </button>
              <button type="button" className="btn btn-danger" onClick={remove} disabled={busy}>
                {busy ? 'Deleting…' : 'Delete project'}
              </button>
            </>
          }
        >
          <p>Its keys stop working at once. Usage already recorded stays in reports.</p>
        </Modal>
      )}
    </div>
  );
}

function PolicySummary({ project: p }: { project: Project }) {
  const fallback = (value: string | number | null, text: string) => (value === null || value === '' ? <span className="muted">{text}</span> : value);
  return (
    <>
      <dl className="facts two-col">
        <dt>Requests per minute</dt>
        <dd>{fallback(p.rateLimitRpm, 'gateway default')}</dd>
        <dt>Tokens per minute</dt>
        <dd>{fallback(p.tokensPerMinute, 'no limit')}</dd>
        <dt>Default model</dt>
        <dd className="mono">{fallback(p.defaultModel, 'gateway default')}</dd>
        <dt>Max output tokens</dt>
        <dd>{fallback(p.maxTokensCap, 'no cap')}</dd>
        <dt>Allowed tools</dt>
        <dd>{p.allowedTools ? p.allowedTools.map((t) => <Badge key={t}>{t}</Badge>) : <span className="muted">all enabled tools</span>}</dd>
        <dt>Fallback chain</dt>
        <dd className="mono">{p.fallbackChain?.length ? p.fallbackChain.join(' → ') : <span className="muted">none</span>}</dd>
      </dl>
      <div className="layer-chips" aria-label="Token reduction">
        {REDUCTION_LAYERS.map(({ layer, label }) => {
          const value = p.reduction[layer];
          return (
            <span key={layer} className={`chip ${value === false ? 'off' : 'on'}`} title={value === undefined ? 'gateway default' : value ? 'on' : 'off'}>
              {label}
              {value === undefined ? '' : value ? '' : ' · off'}
            </span>
          );
        })}
      </div>
    </>
  );
}

/** Remounts a budget form when the stored budget changes, so it shows what was saved. */
function budgetKey(budget: Budget | undefined): string {
  return budget ? `${budget.period}:${budget.limitUsd}:${budget.softPercent}:${budget.totalUsd}` : 'none';
}

function KeysPanel({ project, onChanged, canCreate, budgets, onBudgetChanged }: { project: Project; onChanged(): void; canCreate: boolean; budgets: ReadonlyMap<string, Budget> | undefined; onBudgetChanged(): void }) {
  const [budgeting, setBudgeting] = useState<KeyInfo>();
  const { client } = useApp();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<CreatedKey>();
  const [revoking, setRevoking] = useState<KeyInfo>();
  const keys = [...project.keys].sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) || b.createdAt.localeCompare(a.createdAt));

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await client.createKey(project.id, name.trim()));
      setCreating(false);
      setName('');
      onChanged();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: KeyInfo) => {
    setBusy(true);
    try {
      await client.revokeKey(project.id, key.id);
      setRevoking(undefined);
      onChanged();
    } catch (e) {
      setError(message(e));
      setRevoking(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel
      title="Keys"
      subtitle="Clients send a key as a Bearer token; it selects this project's policy."
      actions={
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={!canCreate} title={canCreate ? undefined : 'Project keys need ENABLE_MULTI_PROJECT=1'}>
          Create key
        </button>
      }
      testId="keys-panel"
    >
      {error && <ErrorState error={new Error(error)} compact />}
      {created && (
        <div className="key-reveal" data-testid="new-key" role="status">
          <div>
            <strong>Copy this key now.</strong> It is shown only once; the gateway keeps only its hash.
          </div>
          <div className="key-box">
            <code className="mono" data-testid="new-key-value">
              {created.key}
            </code>
            <CopyButton text={created.key} />
          </div>
          <button type="button" className="link-btn" onClick={() => setCreated(undefined)}>
            I have stored it
          </button>
        </div>
      )}
      {keys.length === 0 ? (
        <Empty title="No keys yet" icon="key">
          {canCreate ? 'Create a key to let a client use this project.' : 'Clients use the gateway key for this project.'}
        </Empty>
      ) : (
        <table className="table" data-testid="keys-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th>Budget</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'revoked' : ''}>
                <td>{k.name || <span className="muted">unnamed</span>}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{dateTime(k.createdAt)}</td>
                <td>{relativeTime(k.lastUsedAt, Date.now())}</td>
                <td>{k.revokedAt ? <Badge tone="bad">revoked</Badge> : <Badge tone="good">active</Badge>}</td>
                <td>
                  <KeyBudget budget={budgets?.get(`key:${k.id}`)} />
                  {!k.revokedAt && (
                    <button type="button" className="link-btn" onClick={() => setBudgeting(k)}>
                      {budgets?.has(`key:${k.id}`) ? 'edit' : 'set'}
                    </button>
                  )}
                </td>
                <td className="num">
                  {!k.revokedAt && (
                    <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setRevoking(k)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {budgeting && (
        <Modal title={`Budget of ${budgeting.name || budgeting.prefix + '…'}`} onClose={() => setBudgeting(undefined)} wide>
          <BudgetPanel
            key={budgetKey(budgets?.get(`key:${budgeting.id}`))}
            bare
            subject={{ scope: 'key', id: budgeting.id }}
            budget={budgets?.get(`key:${budgeting.id}`)}
            onChanged={onBudgetChanged}
          />
        </Modal>
      )}
      {creating && (
        <Modal
          title="Create a key"
          onClose={() => setCreating(false)}
          footer={
            <>
              <button type="button" className="btn btn-ghost" onClick={() => setCreating(false)}>
                Cancel
              </button>
              <button type="button" className="btn btn-primary" onClick={create} disabled={busy}>
                {busy ? 'Creating…' : 'Create key'}
              </button>
            </>
          }
        >
          <div className="field">
            <label htmlFor="key-name">Name (optional)</label>
            <input
              id="key-name"
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && void create()}
              placeholder="e.g. laptop, CI"
              autoComplete="off"
            />
            <span className="field-hint">Helps you recognise the key later; only its prefix is listed.</span>
          </div>
        </Modal>
      )}
      {revoking && (
        <Modal
          title="Revoke this key?"
          onClose={() => setRevoking(undefined)}
          footer={
            <>
              <button type="button" className="btn btn-ghost" onClick={() => setRevoking(undefined)}>
                Cancel
              </button>
              <button type="button" className="btn btn-danger" onClick={() => revoke(revoking)} disabled={busy}>
                Revoke key
              </button>
            </>
          }
        >
          <p>
            Clients using <code className="mono">{revoking.prefix}…</code>
            {revoking.name ? ` (${revoking.name})` : ''} are refused from now on. This cannot be undone.
          </p>
        </Modal>
      )}
    </Panel>
  );
}

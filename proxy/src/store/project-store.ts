// Projects and their policies. Deleting a project keeps its row (marked deleted) so old usage reports still
// show its name; its keys are revoked with it.
import { DEFAULT_PROJECT_ID, type ProjectPolicy, type ReductionSwitch } from '../projects/identity.ts';
import type { Db } from './sqlite.ts';
import { jsonColumn } from './sqlite.ts';

export type StoredProject = ProjectPolicy & { createdAt: string };

/** Every policy field but the id; each is optional in an update. */
export type ProjectFields = Omit<ProjectPolicy, 'id'>;

/** A row of `projects`, as stored (and as the Postgres outbox ships it). */
export interface ProjectRow {
  id: string;
  name: string;
  rate_limit_rpm: number | null;
  tokens_per_minute: number | null;
  default_model: string | null;
  max_tokens_cap: number | null;
  allowed_tools_json: string | null;
  reduction_json: string;
  fallback_chain_json: string | null;
  created_ms: number;
  updated_ms: number;
  deleted_ms: number | null;
}

export interface ProjectStore {
  /** A live project's policy (the request path reads it). */
  policy(id: string): ProjectPolicy | undefined;
  get(id: string): StoredProject | undefined;
  list(): StoredProject[];
  /** id → name for every project ever created, deleted ones included. */
  names(): Map<string, string>;
  exists(id: string, includeDeleted?: boolean): boolean;
  create(id: string, fields: ProjectFields): StoredProject;
  update(id: string, patch: Partial<ProjectFields>): StoredProject | undefined;
  /** Marks the project deleted and revokes its keys; false when there was no such live project. */
  remove(id: string): boolean;
}


function toPolicy(row: ProjectRow): ProjectPolicy {
  return {
    id: row.id,
    name: row.name,
    rateLimitRpm: row.rate_limit_rpm,
    tokensPerMinute: row.tokens_per_minute,
    defaultModel: row.default_model,
    maxTokensCap: row.max_tokens_cap,
    allowedTools: row.allowed_tools_json ? (JSON.parse(row.allowed_tools_json) as string[]) : null,
    reduction: JSON.parse(row.reduction_json) as Partial<Record<ReductionSwitch, boolean>>,
    fallbackChain: row.fallback_chain_json ? (JSON.parse(row.fallback_chain_json) as string[]) : null,
  };
}

const toStored = (row: ProjectRow): StoredProject => ({ ...toPolicy(row), createdAt: new Date(row.created_ms).toISOString() });

/** @param changed is told of every write, so caches of policies can drop what they hold. */
export function createProjectStore(db: Db, now: () => number, changed: () => void = () => {}): ProjectStore {
  const byId = db.prepare('SELECT * FROM projects WHERE id = ? AND deleted_ms IS NULL');
  const anyById = db.prepare('SELECT id FROM projects WHERE id = ?');
  const live = db.prepare(`SELECT * FROM projects WHERE deleted_ms IS NULL ORDER BY id = '${DEFAULT_PROJECT_ID}' DESC, created_ms, id`);
  const allNames = db.prepare('SELECT id, name FROM projects');
  const insert = db.prepare(`
    INSERT INTO projects (id, name, rate_limit_rpm, tokens_per_minute, default_model, max_tokens_cap, allowed_tools_json,
                          reduction_json, fallback_chain_json, created_ms, updated_ms)
    VALUES (@id, @name, @rateLimitRpm, @tokensPerMinute, @defaultModel, @maxTokensCap, @allowedTools, @reduction,
            @fallbackChain, @now, @now)`);
  const save = db.prepare(`
    UPDATE projects SET name = @name, rate_limit_rpm = @rateLimitRpm, tokens_per_minute = @tokensPerMinute,
      default_model = @defaultModel, max_tokens_cap = @maxTokensCap, allowed_tools_json = @allowedTools,
      reduction_json = @reduction, fallback_chain_json = @fallbackChain, updated_ms = @now
    WHERE id = @id AND deleted_ms IS NULL`);
  const markDeleted = db.prepare('UPDATE projects SET deleted_ms = ? WHERE id = ? AND deleted_ms IS NULL');
  const revokeAll = db.prepare('UPDATE project_keys SET revoked_ms = ? WHERE project_id = ? AND revoked_ms IS NULL');

  const row = (p: ProjectPolicy) => ({
    id: p.id,
    name: p.name,
    rateLimitRpm: p.rateLimitRpm,
    tokensPerMinute: p.tokensPerMinute,
    defaultModel: p.defaultModel,
    maxTokensCap: p.maxTokensCap,
    allowedTools: jsonColumn(p.allowedTools),
    reduction: JSON.stringify(p.reduction),
    fallbackChain: jsonColumn(p.fallbackChain),
    now: now(),
  });
  const get = (id: string) => {
    const found = byId.get(id) as ProjectRow | undefined;
    return found && toStored(found);
  };

  return {
    policy(id) {
      const found = byId.get(id) as ProjectRow | undefined;
      return found && toPolicy(found);
    },
    get,
    list: () => (live.all() as ProjectRow[]).map(toStored),
    names: () => new Map((allNames.all() as Array<{ id: string; name: string }>).map((r) => [r.id, r.name])),
    exists: (id, includeDeleted = false) => (includeDeleted ? anyById.get(id) !== undefined : byId.get(id) !== undefined),
    create(id, fields) {
      insert.run(row({ ...fields, id }));
      changed();
      return get(id)!;
    },
    update(id, patch) {
      const current = get(id);
      if (!current) return undefined;
      const { createdAt: _createdAt, ...policy } = current;
      save.run(row({ ...policy, ...patch, id }));
      changed();
      return get(id);
    },
    remove(id) {
      return db.transaction(() => {
        const t = now();
        if (markDeleted.run(t, id).changes === 0) return false;
        revokeAll.run(t, id);
        changed();
        return true;
      })();
    },
  };
}

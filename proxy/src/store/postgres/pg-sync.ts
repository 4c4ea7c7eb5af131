// The Postgres side of replication: one outbox batch written in one transaction with idempotent upserts (rows
// keyed as in SQLite, so a batch sent twice after a lost acknowledgement adds nothing), and the project and key
// changes other replicas wrote, read back by version. Memories are written as they are now, with their current
// embeddings replacing the ones Postgres had; memories deleted here become tombstones.
import { jsonColumn } from '../sqlite.ts';
import type { PoolClient } from 'pg';
import type { KeyRow, OutboxBatch, ProjectRow } from './outbox.ts';
import { createPgResponses } from './pg-responses.ts';
import { quoteIdent, usesPgvector } from './pg-schema.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (value: Date | null) => (value === null ? null : value.getTime());

/** `INSERT … SELECT * FROM unnest($1::t1[], $2::t2[], …)`: a whole batch as one statement, any size. */
function unnestInsert(table: string, columns: ReadonlyArray<readonly [string, string]>): string {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
}

const column = <T>(rows: readonly T[], pick: (row: T) => unknown) => rows.map(pick);

/** An embedding as text Postgres casts to the column's type: `[1,2]` for pgvector, `{1,2}` for `real[]`. */
export function vectorLiteral(vector: Float32Array, embeddingType: string): string {
  const numbers = Array.from(vector, (x) => String(x)).join(',');
  return usesPgvector(embeddingType) ? `[${numbers}]` : `{${numbers}}`;
}

export function createPgSync(schema: string) {
  const s = quoteIdent(schema);
  const responses = createPgResponses(schema);
  const nextVersion = `nextval('${s}.change_version')`;

  const usageColumns = [
    ['record_key', 'text'], ['id', 'text'], ['ts', 'timestamptz'], ['project_id', 'text'], ['key_id', 'text'], ['client', 'text'],
    ['endpoint', 'text'], ['requested_model', 'text'], ['model', 'text'], ['route_reason', 'text'], ['stream', 'boolean'],
    ['status', 'integer'], ['error_type', 'text'], ['latency_ms', 'integer'], ['ttft_ms', 'integer'], ['tokens_before', 'integer'],
    ['tokens_after', 'integer'], ['reduction_by_layer', 'jsonb'], ['input_tokens', 'bigint'], ['cache_write_tokens', 'bigint'],
    ['cache_read_tokens', 'bigint'], ['output_tokens', 'bigint'], ['cost_usd', 'double precision'],
    ['baseline_cost_usd', 'double precision'], ['cache_hit', 'text'], ['batch', 'boolean'], ['thinking', 'jsonb'],
  ] as const;
  const errorColumns = [
    ['id', 'text'], ['ts', 'timestamptz'], ['request_id', 'text'], ['project_id', 'text'], ['model', 'text'], ['type', 'text'],
    ['status', 'integer'], ['attempt', 'integer'], ['message', 'text'],
  ] as const;
  const projectFields = ['name', 'rate_limit_rpm', 'tokens_per_minute', 'default_model', 'max_tokens_cap', 'allowed_tools', 'reduction', 'fallback_chain'];
  const projectColumns = [
    ['id', 'text'], ['name', 'text'], ['rate_limit_rpm', 'integer'], ['tokens_per_minute', 'integer'], ['default_model', 'text'],
    ['max_tokens_cap', 'integer'], ['allowed_tools', 'jsonb'], ['reduction', 'jsonb'], ['fallback_chain', 'jsonb'],
    ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['deleted_at', 'timestamptz'],
  ] as const;
  const keyColumns = [
    ['id', 'text'], ['project_id', 'text'], ['name', 'text'], ['prefix', 'text'], ['key_hash', 'text'], ['created_at', 'timestamptz'],
    ['revoked_at', 'timestamptz'], ['last_used_at', 'timestamptz'],
  ] as const;

  const memoryFields = ['kind', 'source', 'text', 'text_hash', 'seen_count', 'recalled_count', 'updated_at'];
  const memoryColumns = [
    ['id', 'text'], ['project_id', 'text'], ['kind', 'text'], ['source', 'text'], ['text', 'text'], ['text_hash', 'text'],
    ['seen_count', 'integer'], ['recalled_count', 'integer'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ] as const;

  const insertUsage = `${unnestInsert(`${s}.usage_records`, usageColumns)} ON CONFLICT (record_key) DO NOTHING`;
  const insertErrors = `${unnestInsert(`${s}.error_events`, errorColumns)} ON CONFLICT (id) DO NOTHING`;
  // The latest edit wins field by field; a deletion, once made, stays (the earliest time is kept). The version
  // moves only when something changed, so replicas do not pull their own echo.
  const upsertProjects = `${unnestInsert(`${s}.projects AS p`, projectColumns)}
    ON CONFLICT (id) DO UPDATE SET
      ${projectFields.map((f) => `${f} = CASE WHEN excluded.updated_at > p.updated_at THEN excluded.${f} ELSE p.${f} END`).join(',\n      ')},
      updated_at = GREATEST(p.updated_at, excluded.updated_at),
      deleted_at = LEAST(p.deleted_at, excluded.deleted_at),
      version = ${nextVersion}
    WHERE excluded.updated_at > p.updated_at
       OR (excluded.deleted_at IS NOT NULL AND (p.deleted_at IS NULL OR excluded.deleted_at < p.deleted_at))`;
  const upsertKeys = `${unnestInsert(`${s}.project_keys AS k`, keyColumns)}
    ON CONFLICT (id) DO UPDATE SET
      revoked_at = LEAST(k.revoked_at, excluded.revoked_at),
      last_used_at = GREATEST(k.last_used_at, excluded.last_used_at),
      version = ${nextVersion}
    WHERE (excluded.revoked_at IS NOT NULL AND (k.revoked_at IS NULL OR excluded.revoked_at < k.revoked_at))
       OR (excluded.last_used_at IS NOT NULL AND (k.last_used_at IS NULL OR excluded.last_used_at > k.last_used_at))`;

  // A memory takes the state shipped unless that is older than what Postgres has; a tombstone is final. The
  // version moves only when something changed, so a batch shipped twice is seen once.
  const upsertMemories = `${unnestInsert(`${s}.memories AS m`, memoryColumns)}
    ON CONFLICT (id) DO UPDATE SET
      ${memoryFields.map((f) => `${f} = excluded.${f}`).join(', ')},
      version = ${nextVersion}
    WHERE m.deleted_at IS NULL AND excluded.updated_at >= m.updated_at
      AND (${memoryFields.map((f) => `m.${f}`).join(', ')}) IS DISTINCT FROM (${memoryFields.map((f) => `excluded.${f}`).join(', ')})`;
  const dropEmbeddings = `DELETE FROM ${s}.memory_embeddings WHERE memory_id = ANY($1::text[])`;
  const insertEmbeddings = (type: string) => `
    INSERT INTO ${s}.memory_embeddings (memory_id, model, dims, vector)
    SELECT t.memory_id, t.model, t.dims, t.vector::${type}
    FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[]) AS t (memory_id, model, dims, vector)
    WHERE EXISTS (SELECT 1 FROM ${s}.memories m WHERE m.id = t.memory_id AND m.deleted_at IS NULL)`;
  const tombstoneMemories = `UPDATE ${s}.memories SET deleted_at = now(), version = ${nextVersion} WHERE id = ANY($1::text[]) AND deleted_at IS NULL`;

  const projectSelect = `SELECT id, name, rate_limit_rpm, tokens_per_minute, default_model, max_tokens_cap, allowed_tools, reduction,
      fallback_chain, created_at, updated_at, deleted_at, version FROM ${s}.projects`;
  const keySelect = `SELECT id, project_id, name, prefix, key_hash, created_at, revoked_at, last_used_at, version FROM ${s}.project_keys`;

  return {
    /** Writes one outbox batch in one transaction; embeddings go into a column of `embeddingType`. */
    async write(client: PoolClient, batch: OutboxBatch, embeddingType: string): Promise<void> {
      await client.query('BEGIN');
      try {
        // Projects before their keys, so a reader never sees a key without its project.
        const p = batch.projects;
        if (p.length > 0) {
          await client.query(upsertProjects, [
            column(p, (r) => r.id), column(p, (r) => r.name), column(p, (r) => r.rate_limit_rpm), column(p, (r) => r.tokens_per_minute),
            column(p, (r) => r.default_model), column(p, (r) => r.max_tokens_cap), column(p, (r) => r.allowed_tools_json),
            column(p, (r) => r.reduction_json), column(p, (r) => r.fallback_chain_json), column(p, (r) => iso(r.created_ms)),
            column(p, (r) => iso(r.updated_ms)), column(p, (r) => iso(r.deleted_ms)),
          ]);
        }
        const k = batch.keys;
        if (k.length > 0) {
          await client.query(upsertKeys, [
            column(k, (r) => r.id), column(k, (r) => r.project_id), column(k, (r) => r.name), column(k, (r) => r.prefix),
            column(k, (r) => r.key_hash), column(k, (r) => iso(r.created_ms)), column(k, (r) => iso(r.revoked_ms)),
            column(k, (r) => iso(r.last_used_ms)),
          ]);
        }
        const u = batch.usage;
        if (u.length > 0) {
          await client.query(insertUsage, [
            column(u, (e) => e.key), column(u, (e) => e.record.id), column(u, (e) => e.record.ts), column(u, (e) => e.record.projectId),
            column(u, (e) => e.record.keyId), column(u, (e) => e.record.client), column(u, (e) => e.record.endpoint),
            column(u, (e) => e.record.requestedModel), column(u, (e) => e.record.model), column(u, (e) => e.record.routeReason),
            column(u, (e) => e.record.stream), column(u, (e) => e.record.status), column(u, (e) => e.record.errorType),
            column(u, (e) => e.record.latencyMs), column(u, (e) => e.record.ttftMs), column(u, (e) => e.record.tokensBefore),
            column(u, (e) => e.record.tokensAfter), column(u, (e) => JSON.stringify(e.record.reductionByLayer)),
            column(u, (e) => e.record.inputTokens), column(u, (e) => e.record.cacheWriteTokens), column(u, (e) => e.record.cacheReadTokens),
            column(u, (e) => e.record.outputTokens), column(u, (e) => e.record.costUsd), column(u, (e) => e.record.baselineCostUsd),
            column(u, (e) => e.record.cacheHit), column(u, (e) => e.record.batch),
            column(u, (e) => (e.record.thinking ? JSON.stringify(e.record.thinking) : null)),
          ]);
        }
        const e = batch.errors;
        if (e.length > 0) {
          await client.query(insertErrors, [
            column(e, (r) => r.id), column(e, (r) => r.ts), column(e, (r) => r.requestId), column(e, (r) => r.projectId),
            column(e, (r) => r.model), column(e, (r) => r.type), column(e, (r) => r.status), column(e, (r) => r.attempt),
            column(e, (r) => r.message),
          ]);
        }
        const m = batch.memories;
        if (m.length > 0) {
          await client.query(upsertMemories, [
            column(m, (r) => r.id), column(m, (r) => r.project_id), column(m, (r) => r.kind), column(m, (r) => r.source),
            column(m, (r) => r.text), column(m, (r) => r.text_hash), column(m, (r) => r.seen_count), column(m, (r) => r.recalled_count),
            column(m, (r) => iso(r.created_ms)), column(m, (r) => iso(r.updated_ms)),
          ]);
          await client.query(dropEmbeddings, [column(m, (r) => r.id)]);
          const vectors = m.flatMap((r) => r.embeddings.map((v) => ({ id: r.id, ...v })));
          if (vectors.length > 0) {
            await client.query(insertEmbeddings(embeddingType), [
              column(vectors, (v) => v.id), column(vectors, (v) => v.model), column(vectors, (v) => v.vector.length),
              column(vectors, (v) => vectorLiteral(v.vector, embeddingType)),
            ]);
          }
        }
        if (batch.deletedMemories.length > 0) {
          await client.query(tombstoneMemories, [batch.deletedMemories]);
          await client.query(dropEmbeddings, [batch.deletedMemories]);
        }
        await responses.write(client, batch.responses, batch.deletedResponses);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },

    /** Projects and keys changed after `sinceVersion`, from one snapshot, with the highest version seen. */
    async changes(client: PoolClient, sinceVersion: number): Promise<{ projects: ProjectRow[]; keys: KeyRow[]; version: number }> {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const projects = await client.query<PgProject>(`${projectSelect} WHERE version > $1 ORDER BY version`, [sinceVersion]);
        const keys = await client.query<PgKey>(`${keySelect} WHERE version > $1 ORDER BY version`, [sinceVersion]);
        await client.query('COMMIT');
        const version = Math.max(sinceVersion, ...projects.rows.map((r) => Number(r.version)), ...keys.rows.map((r) => Number(r.version)));
        return { projects: projects.rows.map(toProjectRow), keys: keys.rows.map(toKeyRow), version };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },

    /** The key with this hash and its project, when Postgres knows them. */
    async keyByHash(client: PoolClient, keyHash: string): Promise<{ project: ProjectRow; key: KeyRow } | undefined> {
      const keys = await client.query<PgKey>(`${keySelect} WHERE key_hash = $1`, [keyHash]);
      const key = keys.rows[0];
      if (!key) return undefined;
      const projects = await client.query<PgProject>(`${projectSelect} WHERE id = $1`, [key.project_id]);
      const project = projects.rows[0];
      return project ? { project: toProjectRow(project), key: toKeyRow(key) } : undefined;
    },
  };
}

export type PgSync = ReturnType<typeof createPgSync>;

interface PgProject {
  id: string;
  name: string;
  rate_limit_rpm: number | null;
  tokens_per_minute: number | null;
  default_model: string | null;
  max_tokens_cap: number | null;
  allowed_tools: unknown;
  reduction: unknown;
  fallback_chain: unknown;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  version: string;
}

interface PgKey {
  id: string;
  project_id: string;
  name: string | null;
  prefix: string;
  key_hash: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  version: string;
}


function toProjectRow(r: PgProject): ProjectRow {
  return {
    id: r.id,
    name: r.name,
    rate_limit_rpm: r.rate_limit_rpm,
    tokens_per_minute: r.tokens_per_minute,
    default_model: r.default_model,
    max_tokens_cap: r.max_tokens_cap,
    allowed_tools_json: jsonColumn(r.allowed_tools),
    reduction_json: JSON.stringify(r.reduction ?? {}),
    fallback_chain_json: jsonColumn(r.fallback_chain),
    created_ms: r.created_at.getTime(),
    updated_ms: r.updated_at.getTime(),
    deleted_ms: ms(r.deleted_at),
  };
}

function toKeyRow(r: PgKey): KeyRow {
  return {
    id: r.id,
    project_id: r.project_id,
    name: r.name,
    prefix: r.prefix,
    key_hash: r.key_hash,
    created_ms: r.created_at.getTime(),
    revoked_ms: ms(r.revoked_at),
    last_used_ms: ms(r.last_used_at),
  };
}

// The gateway's tables in Postgres, created at first contact (idempotent, under an advisory lock so replicas
// starting together do not race). Usage records and error events are append-only and keyed like the local
// store, so shipping a row twice changes nothing. Projects and keys carry a `version` from one sequence,
// bumped on every change, so a replica can pull what changed since it last looked. Memories are keyed by their
// id and carry the same version; a deleted one stays as a tombstone (deleted_at). Their embeddings go into a
// pgvector `vector` column where the extension can be had, else into `real[]`.
import type { PoolClient } from 'pg';

/** Bumped when the tables below change shape; a gateway refuses to write to a newer layout than it knows. */
export const PG_SCHEMA_VERSION = 1;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function schemaStatements(schema: string): string[] {
  const s = quoteIdent(schema);
  const version = `${s}.change_version`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.meta (
       id             integer PRIMARY KEY CHECK (id = 1),
       instance_id    text    NOT NULL,
       schema_version integer NOT NULL
     )`,
    `INSERT INTO ${s}.meta (id, instance_id, schema_version)
       VALUES (1, md5(random()::text || clock_timestamp()::text), ${PG_SCHEMA_VERSION})
       ON CONFLICT (id) DO NOTHING`,
    `CREATE SEQUENCE IF NOT EXISTS ${version}`,
    `CREATE TABLE IF NOT EXISTS ${s}.usage_records (
       record_key         text PRIMARY KEY,
       id                 text NOT NULL,
       ts                 timestamptz NOT NULL,
       project_id         text NOT NULL,
       key_id             text,
       client             text,
       endpoint           text NOT NULL,
       requested_model    text,
       model              text,
       route_reason       text,
       stream             boolean NOT NULL,
       status             integer NOT NULL,
       error_type         text,
       latency_ms         integer NOT NULL,
       ttft_ms            integer,
       tokens_before      integer,
       tokens_after       integer,
       reduction_by_layer jsonb NOT NULL,
       input_tokens       bigint NOT NULL,
       cache_write_tokens bigint NOT NULL,
       cache_read_tokens  bigint NOT NULL,
       output_tokens      bigint NOT NULL,
       cost_usd           double precision NOT NULL,
       baseline_cost_usd  double precision NOT NULL,
       cache_hit          text,
       batch              boolean NOT NULL
     )`,
    // Added after the first release: a schema made before it gains the column.
    `ALTER TABLE ${s}.usage_records ADD COLUMN IF NOT EXISTS thinking jsonb`,
    `CREATE INDEX IF NOT EXISTS usage_records_by_time ON ${s}.usage_records (ts)`,
    `CREATE INDEX IF NOT EXISTS usage_records_by_project_time ON ${s}.usage_records (project_id, ts)`,
    `CREATE INDEX IF NOT EXISTS usage_records_by_request_id ON ${s}.usage_records (id)`,
    `CREATE TABLE IF NOT EXISTS ${s}.error_events (
       id         text PRIMARY KEY,
       ts         timestamptz NOT NULL,
       request_id text NOT NULL,
       project_id text NOT NULL,
       model      text,
       type       text NOT NULL,
       status     integer NOT NULL,
       attempt    integer NOT NULL,
       message    text NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS error_events_by_time ON ${s}.error_events (ts)`,
    `CREATE TABLE IF NOT EXISTS ${s}.projects (
       id                text PRIMARY KEY,
       name              text NOT NULL,
       rate_limit_rpm    integer,
       tokens_per_minute integer,
       default_model     text,
       max_tokens_cap    integer,
       allowed_tools     jsonb,
       reduction         jsonb NOT NULL,
       fallback_chain    jsonb,
       created_at        timestamptz NOT NULL,
       updated_at        timestamptz NOT NULL,
       deleted_at        timestamptz,
       version           bigint NOT NULL DEFAULT nextval('${version}')
     )`,
    `CREATE INDEX IF NOT EXISTS projects_by_version ON ${s}.projects (version)`,
    `CREATE TABLE IF NOT EXISTS ${s}.project_keys (
       id           text PRIMARY KEY,
       project_id   text NOT NULL,
       name         text,
       prefix       text NOT NULL,
       key_hash     text NOT NULL UNIQUE,
       created_at   timestamptz NOT NULL,
       revoked_at   timestamptz,
       last_used_at timestamptz,
       version      bigint NOT NULL DEFAULT nextval('${version}')
     )`,
    `CREATE INDEX IF NOT EXISTS project_keys_by_version ON ${s}.project_keys (version)`,
    `CREATE TABLE IF NOT EXISTS ${s}.memories (
       id             text PRIMARY KEY,
       project_id     text NOT NULL,
       kind           text NOT NULL,
       source         text NOT NULL,
       text           text NOT NULL,
       text_hash      text NOT NULL,
       seen_count     integer NOT NULL,
       recalled_count integer NOT NULL,
       created_at     timestamptz NOT NULL,
       updated_at     timestamptz NOT NULL,
       deleted_at     timestamptz,
       version        bigint NOT NULL DEFAULT nextval('${version}')
     )`,
    `CREATE INDEX IF NOT EXISTS memories_by_project ON ${s}.memories (project_id)`,
    `CREATE INDEX IF NOT EXISTS memories_by_version ON ${s}.memories (version)`,
    // Items and response as the JSON text SQLite holds, byte for byte; a deleted row keeps only its tombstone.
    `CREATE TABLE IF NOT EXISTS ${s}.stored_responses (
       id                   text PRIMARY KEY,
       project_id           text NOT NULL,
       previous_response_id text,
       created_at           timestamptz NOT NULL,
       expires_at           timestamptz NOT NULL,
       input_items          text NOT NULL,
       response             text NOT NULL,
       deleted_at           timestamptz
     )`,
    `CREATE INDEX IF NOT EXISTS stored_responses_expiry ON ${s}.stored_responses (expires_at)`,
  ];
}

/** The embeddings table, its vector column of the type chosen when it was first created. */
export function embeddingsTableStatement(schema: string, vectorType: string): string {
  const s = quoteIdent(schema);
  return `CREATE TABLE IF NOT EXISTS ${s}.memory_embeddings (
       memory_id text    NOT NULL REFERENCES ${s}.memories (id) ON DELETE CASCADE,
       model     text    NOT NULL,
       dims      integer NOT NULL,
       vector    ${vectorType} NOT NULL,
       PRIMARY KEY (memory_id, model)
     )`;
}

export interface PgSchemaInfo {
  /** Tells one Postgres database from another. */
  instanceId: string;
  /** The embeddings column's type as Postgres names it: `vector` (pgvector, maybe schema-qualified) or `real[]`. */
  embeddingType: string;
}

export const usesPgvector = (embeddingType: string) => !embeddingType.endsWith('[]');

/**
 * pgvector's `vector` type, qualified by the schema it lives in, when the extension is there or can be created
 * here (it needs the package installed, and the right to create it); undefined otherwise. Tried under a
 * savepoint, so a refusal leaves the schema's transaction usable.
 */
async function pgvectorType(client: PoolClient): Promise<string | undefined> {
  const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
  if (available.rowCount === 0) return undefined;
  await client.query('SAVEPOINT pgvector');
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query('RELEASE SAVEPOINT pgvector');
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT pgvector');
  }
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`,
  );
  return rows[0] ? `${quoteIdent(rows[0].nspname)}.vector` : undefined;
}

export class PostgresSchemaTooNewError extends Error {
  constructor(schema: string, found: number) {
    super(`Postgres schema "${schema}" is at layout version ${found}, newer than this gateway's ${PG_SCHEMA_VERSION}: upgrade the gateway or use another POSTGRES_SCHEMA.`);
    this.name = 'PostgresSchemaTooNewError';
  }
}

/** Creates what is missing; returns this Postgres' instance id and how it keeps embeddings. */
export async function ensureSchema(client: PoolClient, schema: string): Promise<PgSchemaInfo> {
  const embeddings = `${quoteIdent(schema)}.memory_embeddings`;
  const embeddingType = async () =>
    (
      await client.query<{ type: string | null }>(
        `SELECT (SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'vector') AS type`,
        [embeddings],
      )
    ).rows[0]!.type;
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`coding-gateway:${schema}`]);
    for (const statement of schemaStatements(schema)) await client.query(statement);
    // The column type is chosen once, when the table is created; pgvector installed later does not change it.
    let type = await embeddingType();
    if (type === null) {
      await client.query(embeddingsTableStatement(schema, (await pgvectorType(client)) ?? 'real[]'));
      type = (await embeddingType())!;
    }
    const { rows } = await client.query<{ instance_id: string; schema_version: number }>(`SELECT instance_id, schema_version FROM ${quoteIdent(schema)}.meta WHERE id = 1`);
    await client.query('COMMIT');
    const meta = rows[0]!;
    if (meta.schema_version > PG_SCHEMA_VERSION) throw new PostgresSchemaTooNewError(schema, meta.schema_version);
    return { instanceId: meta.instance_id, embeddingType: type };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

// The gateway's tables in Postgres, created at first contact (idempotent, under an advisory lock so replicas
// starting together do not race). Usage records and error events are append-only and keyed like the local
// store, so shipping a row twice changes nothing. Projects and keys carry a `version` from one sequence,
// bumped on every change, so a replica can pull what changed since it last looked.
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
  ];
}

export class PostgresSchemaTooNewError extends Error {
  constructor(schema: string, found: number) {
    super(`Postgres schema "${schema}" is at layout version ${found}, newer than this gateway's ${PG_SCHEMA_VERSION}: upgrade the gateway or use another POSTGRES_SCHEMA.`);
    this.name = 'PostgresSchemaTooNewError';
  }
}

/** Creates what is missing and returns this Postgres' instance id (which tells one database from another). */
export async function ensureSchema(client: PoolClient, schema: string): Promise<string> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`coding-gateway:${schema}`]);
    for (const statement of schemaStatements(schema)) await client.query(statement);
    const { rows } = await client.query<{ instance_id: string; schema_version: number }>(`SELECT instance_id, schema_version FROM ${quoteIdent(schema)}.meta WHERE id = 1`);
    await client.query('COMMIT');
    const meta = rows[0]!;
    if (meta.schema_version > PG_SCHEMA_VERSION) throw new PostgresSchemaTooNewError(schema, meta.schema_version);
    return meta.instance_id;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

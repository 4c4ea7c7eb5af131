// Settings for running several replicas and being watched: Prometheus metrics, shared state in Redis, usage and
// projects in Postgres. Kept beside the main config so its reader stays one line there.
import type { EnvReader } from './env-readers.ts';

export interface ScaleOutConfig {
  /** Serves GET /admin/metrics in Prometheus' text format. */
  prometheusEnabled: boolean;
  /** Redis for the state replicas share (rate-limit windows, circuits, caches); undefined: local memory. */
  redisUrl: string | undefined;
  /** Prepended to every Redis key, so several gateways (or tests) can share one Redis apart. */
  redisKeyPrefix: string;
  /** A Redis command slower than this falls back to local state, so no request waits on Redis. */
  redisCommandTimeoutMs: number;
  /** Postgres that receives usage, error events, projects and keys; undefined: SQLite only. */
  databaseUrl: string | undefined;
  /** Postgres schema the gateway's tables live in (created when missing). */
  postgresSchema: string;
  /** How often the outbox is shipped and project/key changes are pulled from Postgres. */
  postgresSyncMs: number;
}

export const SCALE_OUT_DEFAULTS: Readonly<ScaleOutConfig> = Object.freeze({
  prometheusEnabled: true,
  redisUrl: undefined,
  redisKeyPrefix: 'cg:',
  redisCommandTimeoutMs: 250,
  databaseUrl: undefined,
  postgresSchema: 'coding_gateway',
  postgresSyncMs: 1000,
});

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function urlWithScheme(read: EnvReader, name: string, schemes: readonly string[]): string | undefined {
  const value = read.string(name);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (schemes.includes(url.protocol)) return value;
  } catch {
    // reported below
  }
  // The value is not repeated: it may hold a password.
  read.fail(name, `must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL`);
  return undefined;
}

export function readScaleOut(read: EnvReader): ScaleOutConfig {
  const d = SCALE_OUT_DEFAULTS;
  const schema = read.string('POSTGRES_SCHEMA', d.postgresSchema);
  if (!SCHEMA_NAME.test(schema)) read.fail('POSTGRES_SCHEMA', 'must be a lowercase SQL name (letters, digits, "_"; not starting with a digit)');
  return {
    prometheusEnabled: read.bool('PROMETHEUS_ENABLED', d.prometheusEnabled),
    redisUrl: urlWithScheme(read, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: read.string('REDIS_KEY_PREFIX', d.redisKeyPrefix),
    redisCommandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS', d.redisCommandTimeoutMs, { min: 10, max: 60_000 }),
    databaseUrl: urlWithScheme(read, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    postgresSchema: SCHEMA_NAME.test(schema) ? schema : d.postgresSchema,
    postgresSyncMs: read.int('POSTGRES_SYNC_MS', d.postgresSyncMs, { min: 50, max: 600_000 }),
  };
}

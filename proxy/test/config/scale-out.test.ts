// The replica settings read from the environment: defaults, every variable, and errors that name the variable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/env-readers.ts';

const base = { ANTHROPIC_API_KEY: 'sk-ant-test-0000', GATEWAY_API_KEY: 'gateway-key-0123456789', ADMIN_API_KEY: 'admin-key-9876543210', DATA_DIR: '/tmp/cg' };

function problems(env: Record<string, string>): string[] {
  try {
    configFromEnv({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems].sort();
    throw error;
  }
  return [];
}

describe('metrics, Redis and Postgres settings', () => {
  test('defaults: metrics on, no Redis, no Postgres', () => {
    const c = configFromEnv(base);
    assert.deepEqual(
      [c.prometheusEnabled, c.redisUrl, c.redisKeyPrefix, c.redisCommandTimeoutMs, c.databaseUrl, c.postgresSchema, c.postgresSyncMs],
      [true, undefined, 'cg:', 250, undefined, 'coding_gateway', 1000],
    );
  });

  test('every variable is read', () => {
    const c = configFromEnv({
      ...base,
      PROMETHEUS_ENABLED: '0',
      REDIS_URL: 'rediss://user:pw@redis.internal:6380/2',
      REDIS_KEY_PREFIX: 'prod:',
      REDIS_COMMAND_TIMEOUT_MS: '100',
      DATABASE_URL: 'postgresql://gw:secret@db.internal:5432/gateway?sslmode=require',
      POSTGRES_SCHEMA: 'gateway_prod',
      POSTGRES_SYNC_MS: '500',
    });
    assert.deepEqual(
      [c.prometheusEnabled, c.redisUrl, c.redisKeyPrefix, c.redisCommandTimeoutMs, c.databaseUrl, c.postgresSchema, c.postgresSyncMs],
      [false, 'rediss://user:pw@redis.internal:6380/2', 'prod:', 100, 'postgresql://gw:secret@db.internal:5432/gateway?sslmode=require', 'gateway_prod', 500],
    );
  });

  test('bad values stop the start, naming each variable (never echoing a URL, which may hold a password)', () => {
    assert.deepEqual(
      problems({ REDIS_URL: 'http://redis:6379', DATABASE_URL: 'mysql://db/x', POSTGRES_SCHEMA: 'Drop Table', POSTGRES_SYNC_MS: '5', PROMETHEUS_ENABLED: 'maybe' }),
      [
        'PROMETHEUS_ENABLED must be a boolean (1/0, true/false, yes/no, on/off), got "maybe"',
        'REDIS_URL must be a redis:// or rediss:// URL',
        'DATABASE_URL must be a postgres:// or postgresql:// URL',
        'POSTGRES_SCHEMA must be a lowercase SQL name (letters, digits, "_"; not starting with a digit)',
        'POSTGRES_SYNC_MS must be an integer between 50 and 600000, got "5"',
      ].sort(),
    );
  });
});

// Settings for the local store (SQLite in DATA_DIR), usage recording and projects. Kept beside the main config
// so its reader stays one line there.
import type { EnvReader } from './env-readers.ts';

export interface StorageConfig {
  /** Project API keys (`cgp_…`) with their own policies; off: only the gateway and admin keys open the API. */
  enableMultiProject: boolean;
  /** Longest time a usage record waits in memory (it is already journaled) before its batch is written. */
  usageFlushMs: number;
  /** A batch is written at once when this many records are waiting. */
  usageFlushBatch: number;
  /** How long a stored Responses API response (`store: true`) can be read and continued. */
  responsesRetentionDays: number;
}

export const STORAGE_DEFAULTS: Readonly<StorageConfig> = Object.freeze({
  enableMultiProject: false,
  usageFlushMs: 50,
  usageFlushBatch: 100,
  responsesRetentionDays: 30,
});

export function readStorage(read: EnvReader): StorageConfig {
  return {
    enableMultiProject: read.bool('ENABLE_MULTI_PROJECT', STORAGE_DEFAULTS.enableMultiProject),
    usageFlushMs: read.int('USAGE_FLUSH_MS', STORAGE_DEFAULTS.usageFlushMs, { min: 1, max: 600_000 }),
    usageFlushBatch: read.int('USAGE_FLUSH_BATCH', STORAGE_DEFAULTS.usageFlushBatch, { min: 1, max: 10_000 }),
    responsesRetentionDays: read.int('RESPONSES_RETENTION_DAYS', STORAGE_DEFAULTS.responsesRetentionDays, { min: 1, max: 3650 }),
  };
}

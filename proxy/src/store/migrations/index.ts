// Every schema version, oldest first. A new version is a new file appended here; a released one never changes.
import type { Migration } from '../migrate.ts';
import { usageTables } from './001-usage.ts';
import { projectAndPriceTables } from './002-projects-prices.ts';
import { memoryAndBatchTables } from './003-memory-batch.ts';
import { postgresOutbox } from './004-postgres-outbox.ts';
import { responseCacheTable } from './005-response-cache.ts';
import { memoryOutbox } from './006-memory-outbox.ts';
import { storedResponsesTable } from './007-stored-responses.ts';
import { budgetTables } from './008-budgets.ts';
import { responsesOutbox } from './009-responses-outbox.ts';
import { usageThinking } from './010-usage-thinking.ts';

export const MIGRATIONS: readonly Migration[] = [
  usageTables,
  projectAndPriceTables,
  memoryAndBatchTables,
  postgresOutbox,
  responseCacheTable,
  memoryOutbox,
  storedResponsesTable,
  budgetTables,
  responsesOutbox,
  usageThinking,
];

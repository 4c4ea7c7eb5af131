// The gateway's local store: one SQLite database in DATA_DIR (gateway.sqlite), migrated at open, with the usage
// journal beside it (DATA_DIR/journal). Opening replays what crashed gateways left in their journals.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ErrorSink } from '../reliability/error-events.ts';
import { createKeyStore, type KeyStore } from './key-store.ts';
import { migrate, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { createPriceStore, type PriceStore } from './price-store.ts';
import { createProjectStore, type ProjectStore } from './project-store.ts';
import { DATABASE_FILE, openSqlite, type Db } from './sqlite.ts';
import { orphanedJournals, readJournal, removeJournal, UsageJournal } from './usage-journal.ts';
import { createBatchInserter, type BatchInserter } from './usage-table.ts';
import { createUsageWriter, type UsageWriter } from './usage-writer.ts';

export interface GatewayStoreOptions {
  dataDir: string;
  now?: () => number;
  flushMs?: number;
  batchSize?: number;
  /** Called when a batched write fails (it is retried). */
  onWriteError?: (error: unknown) => void;
  migrations?: readonly Migration[];
}

export interface GatewayStore {
  /** Path of the SQLite file. */
  file: string;
  db: Db;
  usage: UsageWriter;
  /** Error events go through the same journal and batches as usage records. */
  errors: ErrorSink;
  prices: PriceStore;
  projects: ProjectStore;
  keys: KeyStore;
  /** Schema versions before and after the migrations run at open. */
  schema: { from: number; to: number };
  /** Journal entries recovered from gateways that stopped without writing them. */
  recovered: number;
  /** Goes up with every change to projects or keys made through this store (caches compare it). */
  epoch(): number;
  close(): void;
}

export const JOURNAL_DIR = 'journal';

function replayOrphans(dir: string, inserter: BatchInserter): number {
  let recovered = 0;
  for (const file of orphanedJournals(dir)) {
    const entries = readJournal(file);
    const usage = entries.flatMap((e) => (e.kind === 'usage' ? [{ key: e.key, record: e.record }] : []));
    const errors = entries.flatMap((e) => (e.kind === 'error' ? [e.event] : []));
    inserter.insert(usage, errors);
    removeJournal(file);
    recovered += entries.length;
  }
  return recovered;
}

export function openGatewayStore(options: GatewayStoreOptions): GatewayStore {
  const now = options.now ?? Date.now;
  const file = join(options.dataDir, DATABASE_FILE);
  const db = openSqlite(file);
  try {
    const schema = migrate(db, options.migrations ?? MIGRATIONS, file);
    const inserter = createBatchInserter(db);
    const journalDir = join(options.dataDir, JOURNAL_DIR);
    const recovered = replayOrphans(journalDir, inserter);
    const token = randomBytes(6).toString('hex');
    let epoch = 0;
    const changed = () => {
      epoch++;
    };
    const usage = createUsageWriter({
      journal: new UsageJournal(journalDir, token),
      inserter,
      token,
      flushMs: options.flushMs ?? 50,
      batchSize: options.batchSize ?? 100,
      ...(options.onWriteError && { onError: options.onWriteError }),
    });
    return {
      file,
      db,
      usage,
      errors: { record: (event) => usage.appendError(event) },
      prices: createPriceStore(db, now),
      projects: createProjectStore(db, now, changed),
      keys: createKeyStore(db, now, changed),
      schema,
      recovered,
      epoch: () => epoch,
      close() {
        usage.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

// Keeps a gateway's SQLite and a shared Postgres (DATABASE_URL) in step, in the background:
//  - ships the outbox (usage records, error events, project and key changes, memories) in batches, each committed
//    in one Postgres transaction before its outbox rows are deleted: at-least-once, and upserts make it exactly-once;
//  - pulls project and key changes other replicas made (by version, every cycle; everything now and then, in
//    case two commits landed out of version order), so their keys work here too;
//  - looks a key up in Postgres at once when a request presents one this replica does not know yet.
// A Postgres that is away costs nothing on the request path: the outbox waits in SQLite (across restarts too),
// and the cycle retries with a growing delay until Postgres answers again.
import type pg from 'pg';
import { loadOnUse } from '../../load-on-use.ts';
import { createLookupGate } from './lookup-gate.ts';
import type { Db } from '../sqlite.ts';
import { Outbox } from './outbox.ts';
import { ensureSchema } from './pg-schema.ts';
import { createPgSync } from './pg-sync.ts';

export interface ReplicatorOptions {
  databaseUrl: string;
  schema: string;
  /** Pause between cycles while all is well. */
  syncMs: number;
  db: Db;
  /** Told when Postgres becomes reachable or stops being reachable. */
  onChange?: (up: boolean, reason: string | null) => void;
  now?: () => number;
}

export interface PostgresStatus {
  configured: boolean;
  connected: boolean;
  outboxPending: number;
  /** ISO time of the last batch Postgres committed. */
  lastShippedAt: string | null;
  lastError: string | null;
}

export interface Replicator {
  status(): PostgresStatus;
  /** Fetches the key with this hash (and its project) from Postgres into the local store; true when found. */
  lookupKey(keyHash: string): Promise<boolean>;
  /**
   * Runs one short read or write on Postgres for the request path: rate-limited with the key lookups and cut
   * off after a moment. 'unavailable' when it was turned away, timed out or failed.
   */
  onRequestPath<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T | 'unavailable'>;
  /** Runs one cycle now (tests, shutdown). */
  syncNow(): Promise<void>;
  /** Stops the cycle; a last shipment is tried for at most `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

const BATCH_ROWS = 500;
/** Batches shipped per cycle before pulling, so a large backlog does not delay other replicas' keys. */
const BATCHES_PER_CYCLE = 20;
/** Every this many cycles the pull reads every project and key, not only the changes. */
const FULL_PULL_EVERY = 30;
const LOOKUP_TIMEOUT_MS = 1500;
const NEGATIVE_LOOKUP_MS = 10_000;
/** Remote key lookups share a 3-connection pool with replication: one at a time, a few per second. */
const LOOKUP_CONCURRENCY = 1;
const LOOKUPS_PER_SECOND = 5;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

export function startReplicator(options: ReplicatorOptions): Replicator {
  const now = options.now ?? Date.now;
  const outbox = new Outbox(options.db);
  outbox.enable();
  const sync = createPgSync(options.schema);
  const { Pool } = loadOnUse<typeof import('pg')>('pg');
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: 3,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 10_000,
    query_timeout: 15_000,
    application_name: 'coding-gateway',
  });
  // A connection that breaks (Postgres restarted, network cut) is reported instead of crashing the process:
  // idle ones through the pool, checked-out ones (between two queries) through their own listener.
  pool.on('error', (error) => noteFailure(error));
  pool.on('connect', (client) => client.on('error', (error) => noteFailure(error)));

  let schemaReady = false;
  let embeddingType = 'real[]';
  let connected = false;
  let lastError: string | null = null;
  let lastShippedAt: number | null = null;
  let failures = 0;
  let cycles = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const lookups = new Map<string, Promise<boolean>>();
  const misses = new Map<string, number>();
  const gate = createLookupGate({ maxConcurrent: LOOKUP_CONCURRENCY, perSecond: LOOKUPS_PER_SECOND, now });

  function noteFailure(error: unknown): void {
    lastError = reasonOf(error);
    schemaReady = false;
    if (connected) {
      connected = false;
      options.onChange?.(false, lastError);
    }
  }
  function noteSuccess(): void {
    failures = 0;
    lastError = null;
    noteConnected();
  }
  // Reported as soon as a batch is written, not after the cycle's last query: records already shipped must never
  // show beside `connected: false`.
  function noteConnected(): void {
    if (!connected) {
      connected = true;
      options.onChange?.(true, null);
    }
  }

  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      if (!schemaReady) {
        const info = await ensureSchema(client, options.schema);
        outbox.retarget(info.instanceId);
        outbox.noteEmbeddingColumn(info.embeddingType);
        embeddingType = info.embeddingType;
        schemaReady = true;
      }
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      // A connection that failed mid-transaction is not put back in the pool.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async function cycle(): Promise<void> {
    await withClient(async (client) => {
      for (let i = 0; i < BATCHES_PER_CYCLE && !closed; i++) {
        const batch = outbox.next(BATCH_ROWS);
        if (!batch) break;
        await sync.write(client, batch, embeddingType);
        noteConnected();
        outbox.shipped(batch.seqs);
        lastShippedAt = now();
      }
      const full = cycles++ % FULL_PULL_EVERY === 0;
      const changes = await sync.changes(client, full ? 0 : outbox.pulledVersion());
      outbox.applyRemote(changes.projects, changes.keys, changes.version);
    });
  }

  const delay = () => (failures === 0 ? options.syncMs : Math.min(options.syncMs * 2 ** failures, Math.max(options.syncMs, 5000)));

  // One chain of timers: each cycle schedules the next when it ends.
  function loop(): void {
    if (closed) return;
    timer = setTimeout(() => void runCycle().then(loop), delay());
    timer.unref();
  }

  function runCycle(): Promise<void> {
    running ??= (async () => {
      try {
        await cycle();
        noteSuccess();
      } catch (error) {
        failures = Math.min(failures + 1, 10);
        noteFailure(error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  void runCycle().then(loop);

  return {
    status: () => ({
      configured: true,
      connected,
      outboxPending: outbox.pending(),
      lastShippedAt: lastShippedAt === null ? null : new Date(lastShippedAt).toISOString(),
      lastError,
    }),
    lookupKey(keyHash) {
      if (closed) return Promise.resolve(false);
      const missedAt = misses.get(keyHash);
      if (missedAt !== undefined && now() - missedAt < NEGATIVE_LOOKUP_MS) return Promise.resolve(false);
      const pending = lookups.get(keyHash);
      if (pending) return pending;
      if (!gate.tryEnter()) return Promise.resolve(false);
      const lookup = (async () => {
        try {
          const found = await Promise.race([
            withClient((client) => sync.keyByHash(client, keyHash)),
            new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), LOOKUP_TIMEOUT_MS).unref()),
          ]);
          // Postgres too slow to say: the request goes on with what this replica knows, nothing is remembered.
          if (found === 'timeout') return false;
          if (found) outbox.applyRemote([found.project], [found.key]);
          const usable = found !== undefined && found.key.revoked_ms === null && found.project.deleted_ms === null;
          if (!usable) {
            if (misses.size > 10_000) misses.clear();
            misses.set(keyHash, now());
          }
          return usable;
        } catch {
          return false;
        } finally {
          gate.leave();
          lookups.delete(keyHash);
        }
      })();
      lookups.set(keyHash, lookup);
      return lookup;
    },
    async onRequestPath(work) {
      if (closed || !gate.tryEnter()) return 'unavailable';
      try {
        return await Promise.race([
          withClient(work),
          new Promise<'unavailable'>((resolve) => setTimeout(() => resolve('unavailable'), LOOKUP_TIMEOUT_MS).unref()),
        ]);
      } catch {
        return 'unavailable';
      } finally {
        gate.leave();
      }
    },
    async syncNow() {
      await running;
      await runCycle();
    },
    async close(graceMs = 1000) {
      if (closed) return;
      if (timer) clearTimeout(timer);
      const last = (async () => {
        await running;
        if (connected && outbox.pending() > 0) await runCycle();
      })();
      await Promise.race([last, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      closed = true;
      if (timer) clearTimeout(timer);
      // A query still hanging on a dead connection must not hold the shutdown.
      await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}

/**
 * Replication when DATABASE_URL is set; otherwise the outbox stops capturing (and is emptied), so a database that
 * once replicated does not grow a backlog nobody ships. Turning Postgres on again sends everything once.
 */
export function replicationFor(
  config: { databaseUrl: string | undefined; postgresSchema: string; postgresSyncMs: number },
  db: Db,
  events: Pick<ReplicatorOptions, 'onChange' | 'now'> = {},
): Replicator | undefined {
  const hasOutbox = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replication_state'`).get() !== undefined;
  if (!config.databaseUrl) {
    // A store opened with a schema of its own (some embedders) has no outbox to switch off.
    if (hasOutbox) new Outbox(db).disable();
    return undefined;
  }
  if (!hasOutbox) throw new Error('DATABASE_URL is set but the local store has no outbox table: open it with the gateway\'s migrations.');
  return startReplicator({ databaseUrl: config.databaseUrl, schema: config.postgresSchema, syncMs: config.postgresSyncMs, db, ...events });
}

// Schema migrations on real SQLite files: a fresh database, an older one upgraded in place with its data kept,
// a newer one refused with both versions named, and a failing migration that leaves the old version intact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { makeConfig } from '../../src/config/config.ts';
import { buildGateway } from '../../src/http/app.ts';
import { openGatewayStore } from '../../src/store/gateway-store.ts';
import { migrate, SchemaTooNewError, schemaVersion, type Migration } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { usageTables } from '../../src/store/migrations/001-usage.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { requestById } from '../../src/store/usage-queries.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-migrate-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);

describe('migrations', () => {
  test('a fresh database gets every version, in WAL mode, with the default project and the shipped prices', () => {
    const dir = tempDir();
    const store = openGatewayStore({ dataDir: dir });
    try {
      assert.deepEqual(store.schema, { from: 0, to: MIGRATIONS.length });
      assert.equal(store.file, join(dir, 'gateway.sqlite'));
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.deepEqual(
        tables(store.db).filter((name) => !name.startsWith('memories_fts_')),
        ['batch_files', 'batch_items', 'batches', 'budget_spend', 'budgets', 'cache_entries', 'error_events', 'memories', 'memories_fts', 'memory_embeddings', 'memory_pins', 'outbox', 'prices', 'project_keys', 'projects', 'replication_state', 'stored_responses', 'usage_records'],
      );
      assert.deepEqual(store.projects.list().map((p) => [p.id, p.name]), [['default', 'Default']]);
      assert.equal(store.prices.table().get('claude-sonnet-5-5')?.inputPerMTok, 2);
    } finally {
      store.close();
    }
  });

  test('an older database is upgraded in place and keeps its rows', () => {
    const dir = tempDir();
    const file = join(dir, 'gateway.sqlite');
    const old = openSqlite(file);
    migrate(old, [usageTables], file);
    assert.equal(schemaVersion(old), 1);
    old.prepare(
      `INSERT INTO usage_records (record_key, id, ts_ms, project_id, endpoint, stream, status, latency_ms, input_tokens,
         cache_write_tokens, cache_read_tokens, output_tokens, cost_usd, baseline_cost_usd, batch)
       VALUES ('k1', 'req_old', ?, 'default', 'chat', 0, 200, 120, 10, 0, 0, 5, 0.001, 0.001, 0)`,
    ).run(Date.UTC(2026, 0, 2));
    old.close();

    const store = openGatewayStore({ dataDir: dir });
    try {
      assert.deepEqual(store.schema, { from: 1, to: MIGRATIONS.length });
      const kept = requestById(store.db, 'req_old');
      assert.equal(kept?.ts, '2026-01-02T00:00:00.000Z');
      assert.equal(kept?.outputTokens, 5);
      assert.equal(store.projects.get('default')?.name, 'Default');
    } finally {
      store.close();
    }
  });

  test('a database newer than the code refuses to open and names both versions', () => {
    const dir = tempDir();
    openGatewayStore({ dataDir: dir }).close();
    const raw = new Database(join(dir, 'gateway.sqlite'));
    const newer = MIGRATIONS.length + 1;
    raw.pragma(`user_version = ${newer}`);
    raw.close();

    assert.throws(
      () => openGatewayStore({ dataDir: dir }),
      (error: unknown) => {
        assert.ok(error instanceof SchemaTooNewError);
        assert.equal(error.databaseVersion, newer);
        assert.equal(error.codeVersion, MIGRATIONS.length);
        assert.match(error.message, new RegExp(`schema version ${newer}`));
        assert.match(error.message, new RegExp(`versions up to ${MIGRATIONS.length}`));
        return true;
      },
    );
    // The gateway does not start on it either.
    assert.throws(() => buildGateway(makeConfig({ gatewayApiKey: 'k'.repeat(20), dataDir: dir }), { logger: false }), SchemaTooNewError);
  });

  test('a failing migration rolls back and leaves the previous version', () => {
    const dir = tempDir();
    const file = join(dir, 'gateway.sqlite');
    const db = openSqlite(file);
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    assert.throws(() => migrate(db, [usageTables, broken], file), /boom/);
    assert.equal(schemaVersion(db), 1);
    assert.ok(!tables(db).includes('half_done'));
    db.close();
  });

  test('shipped prices refresh rows nobody edited and keep edited ones', () => {
    const dir = tempDir();
    const first = openGatewayStore({ dataDir: dir });
    first.prices.upsert([{ ...first.prices.table().get('claude-opus-5-5')!, inputPerMTok: 99 }]);
    first.db.prepare(`UPDATE prices SET input_per_mtok = 55 WHERE model = 'claude-sonnet-5-5'`).run();
    first.db.prepare(`DELETE FROM prices WHERE model = 'claude-haiku-4-5'`).run();
    first.close();

    const second = openGatewayStore({ dataDir: dir });
    try {
      const table = second.prices.table();
      assert.equal(table.get('claude-opus-5-5')?.inputPerMTok, 99, 'edited through the admin API: kept');
      assert.equal(table.get('claude-sonnet-5-5')?.inputPerMTok, 2, 'shipped row: back to the shipped price');
      assert.equal(table.get('claude-haiku-4-5')?.inputPerMTok, 1, 'missing shipped row: added again');
    } finally {
      second.close();
    }
  });
});

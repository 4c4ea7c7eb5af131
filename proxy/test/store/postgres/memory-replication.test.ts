// Memories in the outbox and in the real PostgreSQL on this machine (in a schema of this run's own, dropped
// after): added, edited and deleted memories, with their embeddings, reach Postgres once each, also when they
// happened while Postgres was away.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { createMemoryStore, type MemoryStore } from '../../../src/memory/memory-store.ts';
import { openGatewayStore, type GatewayStore } from '../../../src/store/gateway-store.ts';
import { Outbox } from '../../../src/store/postgres/outbox.ts';
import { vectorLiteral } from '../../../src/store/postgres/pg-sync.ts';
import { ADMIN_KEY, startHarness, type Harness } from '../../helpers/harness.ts';
import { eventually, POSTGRES_PORT, POSTGRES_URL, postgresAnswers, runId, skipUnless, startTcpProxy, type TcpProxy } from '../../helpers/services.ts';
import { fakeEmbedding, startFakeEmbeddings, type FakeEmbeddings } from '../../memory/fake-embeddings.ts';

describe('memories in the outbox', () => {
  let dir: string;
  let store: GatewayStore;
  let memories: MemoryStore;
  let outbox: Outbox;
  let ids = 0;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cg-mem-outbox-'));
    store = openGatewayStore({ dataDir: dir, now: () => 1_800_000_000_000, flushMs: 1 });
    memories = createMemoryStore(store.db, () => 1_800_000_000_000, () => `m${++ids}`);
    outbox = new Outbox(store.db);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const memoryEntries = () => (store.db.prepare(`SELECT ref FROM outbox WHERE kind = 'memory' ORDER BY seq`).all() as Array<{ ref: string }>).map((e) => e.ref);

  test('every add, edit, embedding and delete is captured once Postgres is configured; a gone memory is a tombstone', () => {
    const early = memories.add('p1', { kind: 'note', source: 'admin', text: 'kept before Postgres' }).memory;
    assert.deepEqual(memoryEntries(), []);
    outbox.enable();
    assert.deepEqual(memoryEntries(), [early.id]);

    const added = memories.add('p1', { kind: 'decision', source: 'user', text: 'Use pnpm' }).memory;
    memories.setEmbedding(added.seq, 'embed-1', Float32Array.from([0.5, -1, 2]));
    memories.update(added.id, { kind: 'requirement' });
    const gone = memories.add('p1', { kind: 'note', source: 'user', text: 'short-lived' }).memory;
    memories.remove(gone.id);
    assert.deepEqual(memoryEntries(), [early.id, added.id, added.id, added.id, gone.id, gone.id]);

    const batch = outbox.next(100)!;
    assert.deepEqual(batch.deletedMemories, [gone.id]);
    assert.deepEqual(
      batch.memories.map((m) => ({ id: m.id, kind: m.kind, text: m.text, embeddings: m.embeddings.map((e) => [e.model, Array.from(e.vector)]) })).sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: early.id, kind: 'note', text: 'kept before Postgres', embeddings: [] },
        { id: added.id, kind: 'requirement', text: 'Use pnpm', embeddings: [['embed-1', [0.5, -1, 2]]] },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test('embeddings become pgvector or array literals', () => {
    const v = Float32Array.from([0.5, -1, 2]);
    assert.equal(vectorLiteral(v, 'vector'), '[0.5,-1,2]');
    assert.equal(vectorLiteral(v, '"extensions".vector'), '[0.5,-1,2]');
    assert.equal(vectorLiteral(v, 'real[]'), '{0.5,-1,2}');
  });
});

const postgresUp = await postgresAnswers();

describe('memories in Postgres', { skip: skipUnless(postgresUp, 'PostgreSQL', '127.0.0.1:5432 (database test)') }, () => {
  const schema = runId('cg_mem');
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-pg-mem-'));
  let db: pg.Client;
  let proxy: TcpProxy;
  let embeddings: FakeEmbeddings;
  let h: Harness;

  before(async () => {
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    proxy = await startTcpProxy(POSTGRES_PORT);
    embeddings = await startFakeEmbeddings();
    h = await startHarness({
      config: {
        dataDir,
        databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
        postgresSchema: schema,
        postgresSyncMs: 100,
        embeddingApiUrl: embeddings.url,
        embeddingModel: 'fake-embed',
      },
    });
  });
  after(async () => {
    await h?.close();
    await proxy?.close();
    await embeddings?.close();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: admin, ...(payload !== undefined && { payload }) });
  const add = async (text: string, kind = 'note') => {
    const res = await call('POST', '/admin/memories', { project: 'team', text, kind });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  const pending = () => h.app.gatewayContext.connections.postgres().outboxPending;
  const drained = (what: string, ms?: number) => eventually(async () => h.app.gatewayContext.connections.postgres().connected && pending() === 0, what, ms);
  const rows = async () =>
    (await db.query(`SELECT id, kind, text, seen_count, deleted_at IS NOT NULL AS deleted, version FROM "${schema}".memories ORDER BY text`)).rows as Array<{
      id: string;
      kind: string;
      text: string;
      seen_count: number;
      deleted: boolean;
      version: string;
    }>;
  const vectors = async () =>
    (await db.query(`SELECT memory_id, model, dims, vector::text AS vector FROM "${schema}".memory_embeddings ORDER BY memory_id`)).rows as Array<{
      memory_id: string;
      model: string;
      dims: number;
      vector: string;
    }>;
  const embeddingColumn = () => (h.app.gatewayContext.store.db.prepare('SELECT embedding_column FROM replication_state').get() as { embedding_column: string }).embedding_column;

  let first = '';
  let second = '';

  test('added memories arrive with their embeddings; an edit changes the row once', async () => {
    first = (await add('We deploy with Docker on Fly.io', 'decision')).id;
    second = (await add('Tests run on the real PostgreSQL')).id;
    await drained('the memories to ship');
    assert.deepEqual(
      (await rows()).map(({ version: _v, ...r }) => r),
      [
        { id: second, kind: 'note', text: 'Tests run on the real PostgreSQL', seen_count: 1, deleted: false },
        { id: first, kind: 'decision', text: 'We deploy with Docker on Fly.io', seen_count: 1, deleted: false },
      ],
    );
    // Which column type this Postgres got (pgvector where it can be had) is recorded; the values are exact.
    const type = embeddingColumn();
    assert.ok(type === 'real[]' || type.endsWith('vector'), type);
    const stored = await vectors();
    assert.deepEqual(
      stored.map((v) => [v.memory_id, v.model, v.dims]),
      [[first, 'fake-embed', 64], [second, 'fake-embed', 64]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const parsed = (text: string) => text.slice(1, -1).split(',').map(Number);
    assert.deepEqual(parsed(stored.find((v) => v.memory_id === first)!.vector), fakeEmbedding('We deploy with Docker on Fly.io'));

    const before = await rows();
    assert.equal((await call('PUT', `/admin/memories/${first}`, { kind: 'requirement' })).statusCode, 200);
    await drained('the edit to ship');
    const after = await rows();
    assert.equal(after[1]!.kind, 'requirement');
    assert.ok(Number(after[1]!.version) > Number(before[1]!.version), 'the edited row moved');
    assert.equal(after[0]!.version, before[0]!.version, 'the other row did not');
  });

  test('changes made while Postgres is away arrive once it is back; a deleted memory is a tombstone', async () => {
    await proxy.cut();
    await eventually(() => !h.app.gatewayContext.connections.postgres().connected || undefined, 'the replicator to notice the outage');
    const third = (await add('Releases are cut on Mondays')).id;
    assert.equal((await call('PUT', `/admin/memories/${second}`, { text: 'Tests run on PostgreSQL 15' })).statusCode, 200);
    assert.equal((await call('DELETE', `/admin/memories/${first}`)).statusCode, 204);
    const fleeting = (await add('Never reaches Postgres')).id;
    assert.equal((await call('DELETE', `/admin/memories/${fleeting}`)).statusCode, 204);
    assert.ok(pending() >= 6, `outbox holds ${pending()}`);
    assert.equal((await rows()).length, 2, 'nothing reached Postgres during the outage');

    await proxy.restore();
    await drained('the outbox to drain after the outage', 8000);
    assert.deepEqual(
      (await rows()).map(({ version: _v, ...r }) => r),
      [
        { id: third, kind: 'note', text: 'Releases are cut on Mondays', seen_count: 1, deleted: false },
        { id: second, kind: 'note', text: 'Tests run on PostgreSQL 15', seen_count: 1, deleted: false },
        { id: first, kind: 'requirement', text: 'We deploy with Docker on Fly.io', seen_count: 1, deleted: true },
      ],
    );
    // The tombstone keeps no embedding; the edited text lost its old one (it is embedded again when next searched).
    assert.deepEqual((await vectors()).map((v) => v.memory_id), [third]);
  });

  test('shipping the same memories again (a lost acknowledgement) changes nothing', async () => {
    const before = await rows();
    const sqlite = h.app.gatewayContext.store.db;
    sqlite.exec(`INSERT INTO outbox (kind, ref) SELECT 'memory', id FROM memories`);
    sqlite.prepare(`INSERT INTO outbox (kind, ref) VALUES ('memory', ?)`).run(first);
    await drained('the outbox to drain again');
    assert.deepEqual(await rows(), before);
    assert.equal((await vectors()).length, 1);
  });
});

// Gateways replicating to the real PostgreSQL on this machine, in a schema of this run's own (dropped after).
// An outage (a TCP proxy in front of Postgres, cut and restored) during traffic and a gateway restart in the
// middle of it lose and duplicate no usage record; replicas see each other's projects and keys.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { GatewayConfig } from '../../../src/config/config.ts';
import { defaultResponder, lastUserText } from '../../fake-anthropic/responder.ts';
import type { FakeAnthropicOptions } from '../../fake-anthropic/types.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../../helpers/harness.ts';
import { eventually, POSTGRES_PORT, POSTGRES_URL, postgresAnswers, runId, skipUnless, startTcpProxy, type TcpProxy } from '../../helpers/services.ts';

const postgresUp = await postgresAnswers();
const schema = runId('cg_test');
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const fake: FakeAnthropicOptions = {
  respond: (req) =>
    lastUserText(req.body?.messages ?? []).includes('FAIL') ? { error: { status: 500, type: 'api_error', message: 'Internal server error' } } : defaultResponder(req),
};

function gateway(config: Partial<GatewayConfig>): Promise<Harness> {
  return startHarness({ fake, config: { postgresSchema: schema, retryMaxAttempts: 1, ...config } });
}

function chat(h: Harness, id: string, text = 'hello', key = GATEWAY_KEY) {
  return h.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { ...bearer(key), 'x-request-id': id },
    payload: { model: 'sonnet', messages: [{ role: 'user', content: text }] },
  });
}

const health = async (h: Harness) => (await h.app.inject({ method: 'GET', url: '/health' })).json();
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `pg-req-${String(from + i).padStart(3, '0')}`);

describe('Postgres replication', { skip: skipUnless(postgresUp, 'PostgreSQL', '127.0.0.1:5432 (database test)') }, () => {
  let db: pg.Client;
  const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

  before(async () => {
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
  });
  after(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
  });

  describe('an outage during traffic, and a restart during the outage', () => {
    let proxy: TcpProxy;
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-pg-outage-'));
    let h: Harness | undefined;
    before(async () => {
      proxy = await startTcpProxy(POSTGRES_PORT);
    });
    after(async () => {
      await h?.close();
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const config = () => ({ dataDir, databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test`, postgresSyncMs: 100 });

    test('records reach Postgres while it is up', async () => {
      h = await gateway(config());
      for (const id of ids(1, 8)) assert.equal((await chat(h, id)).statusCode, 200);
      assert.equal((await chat(h, 'pg-req-009', 'FAIL please')).statusCode, 502);
      await eventually(async () => (await count(`SELECT count(*) AS n FROM "${schema}".usage_records`)) === 9, 'nine records in Postgres');
      assert.equal(await count(`SELECT count(*) AS n FROM "${schema}".error_events WHERE request_id = 'pg-req-009'`), 1);
      // A cycle that ships can still be running its last query when the count appears: wait for it to end.
      await eventually(async () => (await health(h!)).storage.postgres.connected, '/health to report the connection');
      assert.deepEqual((await health(h)).storage.postgres, { configured: true, connected: true, outboxPending: 0 });
    });

    test('cut: requests are served, records wait in the outbox, /health says so', async () => {
      await proxy.cut();
      for (const id of ids(10, 19)) {
        const started = Date.now();
        assert.equal((await chat(h!, id)).statusCode, 200);
        assert.ok(Date.now() - started < 1000, 'a request waited on Postgres');
      }
      // Records reach SQLite (and with them the outbox) in batches, a moment after their responses.
      await eventually(async () => {
        const postgres = (await health(h!)).storage.postgres;
        return postgres.connected === false && postgres.outboxPending >= 10;
      }, '/health to show the outage and the waiting records');
      const body = await health(h!);
      assert.equal(body.status, 'degraded');
      assert.ok(body.storage.postgres.outboxPending >= 10, JSON.stringify(body.storage));
    });

    test('a restart during the outage keeps the outbox; after Postgres returns, every record is there exactly once', async () => {
      await h!.close();
      h = await gateway(config());
      for (const id of ids(20, 24)) assert.equal((await chat(h, id)).statusCode, 200);
      assert.equal((await health(h)).storage.postgres.connected, false);
      assert.equal(await count(`SELECT count(*) AS n FROM "${schema}".usage_records`), 9);

      await proxy.restore();
      await eventually(async () => (await health(h!)).storage.postgres.outboxPending === 0 && (await health(h!)).storage.postgres.connected, 'the outbox to drain', 15_000);
      const rows = await db.query(`SELECT id FROM "${schema}".usage_records ORDER BY id`);
      assert.deepEqual(rows.rows.map((r) => r.id), ids(1, 24));
      assert.equal((await health(h)).status, 'ok');

      // Postgres holds what SQLite holds, field for field.
      const local = (await h.app.inject({ method: 'GET', url: '/admin/requests/pg-req-020', headers: admin })).json();
      const remote = (await db.query(`SELECT * FROM "${schema}".usage_records WHERE id = 'pg-req-020'`)).rows[0];
      assert.deepEqual(
        [remote.ts.toISOString(), remote.project_id, remote.model, remote.status, remote.stream, Number(remote.input_tokens), Number(remote.output_tokens), remote.cost_usd, remote.latency_ms],
        [local.ts, local.projectId, local.model, local.status, local.stream, local.inputTokens, local.outputTokens, local.costUsd, local.latencyMs],
      );
    });

    test('shipping the same rows again (a lost acknowledgement) adds nothing', async () => {
      const sqlite = h!.app.gatewayContext.store.db;
      sqlite.exec(`INSERT INTO outbox (kind, ref) SELECT 'usage', seq FROM usage_records; INSERT INTO outbox (kind, ref) SELECT 'error', id FROM error_events;`);
      await eventually(async () => (await health(h!)).storage.postgres.outboxPending === 0, 'the outbox to drain again');
      assert.equal(await count(`SELECT count(*) AS n FROM "${schema}".usage_records`), 24);
      assert.equal(await count(`SELECT count(DISTINCT id) AS n FROM "${schema}".usage_records`), 24);
      assert.equal(await count(`SELECT count(*) AS n FROM "${schema}".error_events`), (sqlite.prepare('SELECT count(*) AS n FROM error_events').get() as { n: number }).n);
    });
  });

  describe('replicas share projects and keys', () => {
    let a: Harness;
    let b: Harness;
    let c: Harness;
    let key = '';
    let keyId = '';
    before(async () => {
      const shared = { databaseUrl: POSTGRES_URL, enableMultiProject: true };
      // B never pulls on its own: only a lookup when a key is presented can teach it.
      [a, b, c] = await Promise.all([gateway({ ...shared, postgresSyncMs: 100 }), gateway({ ...shared, postgresSyncMs: 600_000 }), gateway({ ...shared, postgresSyncMs: 200 })]);
    });
    after(async () => {
      await Promise.all([a?.close(), b?.close(), c?.close()]);
    });
    const call = (h: Harness, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      h.app.inject({ method, url, headers: admin, ...(payload !== undefined && { payload }) });

    test('a key created on A authenticates on B as soon as A has shipped it', async () => {
      assert.equal((await call(a, 'POST', '/admin/projects', { id: 'team-x', name: 'Team X', rateLimitRpm: 42, defaultModel: 'haiku', reduction: { prune: false } })).statusCode, 201);
      const created = (await call(a, 'POST', '/admin/projects/team-x/keys', { name: 'laptop' })).json();
      key = created.key;
      keyId = created.id;
      await eventually(async () => (await count(`SELECT count(*) AS n FROM "${schema}".project_keys WHERE id = '${keyId}'`)) === 1, 'A to ship the key');

      const res = await chat(b, 'pk-b-1', 'hello from B', key);
      assert.equal(res.statusCode, 200, res.body);
      const project = (await call(b, 'GET', '/admin/projects/team-x')).json();
      assert.deepEqual(
        { name: project.name, rateLimitRpm: project.rateLimitRpm, defaultModel: project.defaultModel, reduction: project.reduction, keys: project.keys.map((k: { id: string }) => k.id) },
        { name: 'Team X', rateLimitRpm: 42, defaultModel: 'haiku', reduction: { prune: false }, keys: [keyId] },
      );
      // B's usage record carries A's project and key ids.
      const record = (await call(b, 'GET', '/admin/requests/pk-b-1')).json();
      assert.deepEqual([record.projectId, record.keyId], ['team-x', keyId]);
    });

    test('C pulls the project by itself; edits and a revocation on A reach it within a couple of seconds', async () => {
      await eventually(async () => (await call(c, 'GET', '/admin/projects/team-x')).statusCode === 200, 'C to pull team-x', 3000);
      assert.equal((await chat(c, 'pk-c-1', 'hello from C', key)).statusCode, 200);

      assert.equal((await call(a, 'PUT', '/admin/projects/team-x', { name: 'Team X (renamed)', rateLimitRpm: 7 })).statusCode, 200);
      assert.equal((await call(a, 'DELETE', `/admin/projects/team-x/keys/${keyId}`)).statusCode, 204);
      assert.equal((await chat(a, 'pk-a-1', 'hello from A', key)).statusCode, 401);
      const started = Date.now();
      await eventually(async () => (await chat(c, `pk-c-${Date.now()}`, 'still?', key)).statusCode === 401, 'C to refuse the revoked key', 3000);
      assert.ok(Date.now() - started < 3000);
      const project = (await call(c, 'GET', '/admin/projects/team-x')).json();
      assert.equal(project.name, 'Team X (renamed)');
      assert.equal(project.rateLimitRpm, 7);
      assert.notEqual(project.keys[0].revokedAt, null);
    });

    test("an edit of the default project travels; a replica's untouched default never overwrites it", async () => {
      assert.equal((await call(c, 'PUT', '/admin/projects/default', { rateLimitRpm: 77 })).statusCode, 200);
      await eventually(async () => (await call(a, 'GET', '/admin/projects/default')).json().rateLimitRpm === 77, 'A to take the edit of default', 3000);
      const remote = await db.query(`SELECT rate_limit_rpm FROM "${schema}".projects WHERE id = 'default'`);
      assert.equal(remote.rows[0].rate_limit_rpm, 77);
    });
  });
});

// The SQLite side of replication, without a Postgres: what the triggers put in the outbox and when, what a batch
// carries, and how rows pulled from other replicas merge in (without coming back out).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { openPolicy } from '../../../src/projects/identity.ts';
import { openGatewayStore, type GatewayStore } from '../../../src/store/gateway-store.ts';
import { Outbox, type KeyRow, type ProjectRow } from '../../../src/store/postgres/outbox.ts';
import { usageRecord } from '../../helpers/usage-fixtures.ts';

let dir: string;
let store: GatewayStore;
let outbox: Outbox;
let clock = 1_800_000_000_000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cg-outbox-'));
  store = openGatewayStore({ dataDir: dir, now: () => clock, flushMs: 1 });
  outbox = new Outbox(store.db);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entries = () => store.db.prepare('SELECT kind, ref FROM outbox ORDER BY seq').all() as Array<{ kind: string; ref: string }>;
const fields = ({ id: _id, ...rest }: ReturnType<typeof openPolicy>) => rest;

function remoteProject(overrides: Partial<ProjectRow>): ProjectRow {
  return {
    id: 'team', name: 'Team', rate_limit_rpm: null, tokens_per_minute: null, default_model: null, max_tokens_cap: null,
    allowed_tools_json: null, reduction_json: '{}', fallback_chain_json: null, created_ms: 1000, updated_ms: 1000, deleted_ms: null, ...overrides,
  };
}

function remoteKey(overrides: Partial<KeyRow>): KeyRow {
  return { id: 'pk_remote', project_id: 'team', name: 'ci', prefix: 'cgp_abcd', key_hash: 'ab'.repeat(32), created_ms: 1000, revoked_ms: null, last_used_ms: null, ...overrides };
}

describe('outbox capture', () => {
  test('nothing is captured while Postgres is not configured', () => {
    store.usage.appendUsage(usageRecord('r1'));
    store.usage.flush();
    store.projects.create('p1', fields(openPolicy('p1', 'P1')));
    assert.deepEqual(entries(), []);
  });

  test('enabling enqueues everything stored so far once, then every write as it commits', () => {
    store.usage.appendUsage(usageRecord('r1'));
    store.usage.flush();
    store.projects.create('p1', fields(openPolicy('p1', 'P1')));
    outbox.enable();
    outbox.enable(); // already on: nothing twice
    assert.deepEqual(entries().map((e) => e.kind), ['project', 'project', 'usage']);

    store.usage.appendUsage(usageRecord('r2'));
    store.usage.appendError({ id: 'err_1', ts: '2026-11-20T10:00:00.000Z', requestId: 'r2', projectId: 'default', model: null, type: 'api_error', status: 500, attempt: 1, message: 'x' });
    store.usage.flush();
    clock += 1000;
    store.projects.update('p1', { name: 'P one' });
    const { key, info } = store.keys.create('p1', 'laptop');
    store.keys.revoke('p1', info.id);
    assert.ok(key.startsWith('cgp_'));
    assert.deepEqual(entries().slice(3).map((e) => e.kind), ['usage', 'error', 'project', 'key', 'key']);
  });

  test('a batch carries each row once, as it is now; the untouched default project stays home', () => {
    outbox.enable();
    store.usage.appendUsage(usageRecord('r1', { outputTokens: 42 }));
    store.usage.flush();
    store.projects.create('p1', fields(openPolicy('p1', 'P1')));
    clock += 1000;
    store.projects.update('p1', { rateLimitRpm: 9 });
    const batch = outbox.next(100)!;
    // The backfill's default project, r1, p1 created, p1 edited: p1 goes once, the untouched default not at all.
    assert.equal(batch.seqs.length, 4);
    assert.deepEqual(batch.usage.map((u) => [u.record.id, u.record.outputTokens]), [['r1', 42]]);
    assert.deepEqual(batch.projects.map((p) => [p.id, p.rate_limit_rpm]), [['p1', 9]]);
    outbox.shipped(batch.seqs);
    assert.equal(outbox.pending(), 0);
    assert.equal(outbox.next(100), undefined);

    // Backfill included the default project; as long as nobody edited it, it is not sent.
    outbox.disable();
    outbox.enable();
    assert.deepEqual(outbox.next(100)!.projects.map((p) => p.id), ['p1']);
    clock += 1000;
    store.projects.update('default', { rateLimitRpm: 5 });
    assert.deepEqual(outbox.next(100)!.projects.map((p) => p.id).sort(), ['default', 'p1']);
  });

  test('turning Postgres off empties the outbox; another Postgres gets everything again', () => {
    outbox.enable();
    store.projects.create('p1', fields(openPolicy('p1', 'P1')));
    outbox.retarget('pg-one'); // the first Postgres seen: the backlog is already queued for it
    const queued = outbox.pending();
    outbox.retarget('pg-one');
    assert.equal(outbox.pending(), queued);
    outbox.retarget('pg-two');
    assert.equal(outbox.pending(), queued + 2); // default and p1 again
    outbox.disable();
    assert.equal(outbox.pending(), 0);
  });
});

describe('rows from other replicas', () => {
  test('new projects and keys arrive, and are not sent back', () => {
    outbox.enable();
    const before = outbox.pending();
    assert.equal(outbox.applyRemote([remoteProject({ rate_limit_rpm: 30 })], [remoteKey({})], 17), 2);
    assert.equal(outbox.pending(), before);
    assert.equal(outbox.pulledVersion(), 17);
    assert.equal(store.projects.policy('team')?.rateLimitRpm, 30);
    assert.deepEqual(store.keys.list('team').map((k) => k.id), ['pk_remote']);
    // The same rows again change nothing.
    assert.equal(outbox.applyRemote([remoteProject({ rate_limit_rpm: 30 })], [remoteKey({})], 12), 0);
    assert.equal(outbox.pulledVersion(), 17);
  });

  test('the latest edit wins; deletions and revocations are never undone; a key waits for its project', () => {
    store.projects.create('team', fields(openPolicy('team', 'Local name')));
    const local = store.db.prepare(`SELECT updated_ms FROM projects WHERE id = 'team'`).get() as { updated_ms: number };
    outbox.applyRemote([remoteProject({ name: 'Older', updated_ms: local.updated_ms - 1 })], []);
    assert.equal(store.projects.get('team')?.name, 'Local name');
    outbox.applyRemote([remoteProject({ name: 'Newer', updated_ms: local.updated_ms + 1 })], []);
    assert.equal(store.projects.get('team')?.name, 'Newer');

    outbox.applyRemote([], [remoteKey({ revoked_ms: 5000 })]);
    outbox.applyRemote([], [remoteKey({ revoked_ms: null, last_used_ms: 9000 })]);
    const key = store.keys.list('team')[0]!;
    assert.equal(key.revokedAt, new Date(5000).toISOString());
    assert.equal(key.lastUsedAt, new Date(9000).toISOString());

    outbox.applyRemote([remoteProject({ updated_ms: 1, deleted_ms: 7000 })], []);
    outbox.applyRemote([remoteProject({ updated_ms: local.updated_ms + 2, deleted_ms: null })], []);
    assert.equal(store.projects.get('team'), undefined);

    assert.equal(outbox.applyRemote([], [remoteKey({ id: 'pk_orphan', project_id: 'nowhere', key_hash: 'cd'.repeat(32) })]), 0);
  });

  test("an edited default project replaces this replica's untouched one, never an edited one", () => {
    outbox.applyRemote([remoteProject({ id: 'default', name: 'Default', rate_limit_rpm: 11, created_ms: 1, updated_ms: 2 })], []);
    assert.equal(store.projects.policy('default')?.rateLimitRpm, 11);
    clock += 10_000;
    store.projects.update('default', { rateLimitRpm: 12 });
    outbox.applyRemote([remoteProject({ id: 'default', name: 'Default', rate_limit_rpm: 13, created_ms: 1, updated_ms: 3 })], []);
    assert.equal(store.projects.policy('default')?.rateLimitRpm, 12);
  });
});

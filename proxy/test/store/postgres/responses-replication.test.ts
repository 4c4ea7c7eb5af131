// Stored responses shared by two gateways through the real PostgreSQL on this machine (a schema of this run's
// own, dropped after): a response created on A continues on B with previous_response_id, B lists and reads the
// chain, and a delete on A is seen by B. Each gateway has its own DATA_DIR; they share only reasoning.key.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { FakePlan } from '../../fake-anthropic/types.ts';
import { byTurn, messageCalls } from '../../e2e/scripted-model.ts';
import { GATEWAY_KEY, startHarness, type Harness } from '../../helpers/harness.ts';
import { eventually, POSTGRES_URL, postgresAnswers, runId, skipUnless } from '../../helpers/services.ts';

const postgresUp = await postgresAnswers();
const schema = runId('cg_test_resp');
const headers = { authorization: `Bearer ${GATEWAY_KEY}` };

const THINK_THEN_CALL: FakePlan[] = [
  { content: [{ type: 'thinking', thinking: 'List the folder first.' }, { type: 'tool_use', name: 'exec_command', input: { cmd: 'ls' } }], stopReason: 'tool_use' },
  { content: [{ type: 'text', text: 'The folder holds notes.txt.' }], stopReason: 'end_turn' },
];
const tools = [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }];

describe('stored responses across replicas (Postgres)', { skip: skipUnless(postgresUp, 'PostgreSQL', '127.0.0.1:5432 (database test)') }, () => {
  let db: pg.Client;
  let a: Harness;
  let b: Harness;
  const dirs = [mkdtempSync(join(tmpdir(), 'cg-resp-a-')), mkdtempSync(join(tmpdir(), 'cg-resp-b-'))];
  const shipped = async (id: string) => Number((await db.query(`SELECT count(*) AS n FROM "${schema}".stored_responses WHERE id = $1 AND deleted_at IS NULL`, [id])).rows[0].n) === 1;

  before(async () => {
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    const shared = { databaseUrl: POSTGRES_URL, postgresSchema: schema, postgresSyncMs: 100 };
    a = await startHarness({ config: { ...shared, dataDir: dirs[0]! } });
    a.fake.setResponder(byTurn(THINK_THEN_CALL));
    // B opens what A sealed: the replicas share the reasoning key, as the docs ask.
    await a.app.inject({ method: 'POST', url: '/v1/responses', headers, payload: { model: 'sonnet', input: 'warm up', store: false } });
    copyFileSync(join(dirs[0]!, 'reasoning.key'), join(dirs[1]!, 'reasoning.key'));
    b = await startHarness({ config: { ...shared, dataDir: dirs[1]! } });
    b.fake.setResponder(byTurn(THINK_THEN_CALL));
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const create = (h: Harness, payload: object) => h.app.inject({ method: 'POST', url: '/v1/responses', headers, payload: { model: 'sonnet', tools, ...payload } });
  const get = (h: Harness, url: string) => h.app.inject({ method: 'GET', url, headers });

  let firstId = '';
  let secondId = '';

  test('a response created on A continues on B with previous_response_id', async () => {
    const first = await create(a, { input: 'What is in the folder?', reasoning: { effort: 'low', summary: 'auto' } });
    assert.equal(first.statusCode, 200, first.body);
    firstId = first.json().id;
    const call = first.json().output.find((o: { type: string }) => o.type === 'function_call');
    await eventually(() => shipped(firstId), 'A to ship the response');

    const mark = b.fake.requests.length;
    const second = await create(b, { previous_response_id: firstId, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'notes.txt' }], reasoning: { effort: 'low', summary: 'auto' } });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().output_text ?? second.json().output.at(-1).content[0].text, 'The folder holds notes.txt.');
    secondId = second.json().id;
    const sent = messageCalls(b.fake.requests, mark)[0]!.body;
    assert.deepEqual(sent.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user']);
    // A's thinking, with its signature, reached B's upstream from the shared store.
    assert.deepEqual(sent.messages[1].content.map((block: { type: string }) => block.type), ['thinking', 'tool_use']);
    assert.equal(sent.messages[1].content[0].thinking, 'List the folder first.');
  });

  test("B reads A's response and lists the whole chain, its own turn and A's", async () => {
    const got = await get(b, `/v1/responses/${firstId}`);
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.json().id, firstId);
    const items = await get(b, `/v1/responses/${secondId}/input_items?order=asc`);
    assert.deepEqual(items.json().data.map((i: { type: string }) => i.type), ['message', 'reasoning', 'function_call', 'function_call_output']);
  });

  test('a delete on A is seen by B; a made-up id is a 404 on B', async () => {
    const deleted = await a.app.inject({ method: 'DELETE', url: `/v1/responses/${firstId}`, headers });
    assert.equal(deleted.statusCode, 200, deleted.body);
    await eventually(async () => !(await shipped(firstId)), 'A to ship the deletion');
    assert.equal((await get(b, `/v1/responses/${firstId}`)).statusCode, 404);
    const continued = await create(b, { previous_response_id: firstId, input: 'more' });
    assert.equal(continued.statusCode, 404);
    assert.equal(continued.json().error.param, 'previous_response_id');
    // B's own turn is still there; the chain it lists has lost A's deleted turn.
    const items = await get(b, `/v1/responses/${secondId}/input_items?order=asc`);
    assert.deepEqual(items.json().data.map((i: { type: string }) => i.type), ['function_call_output']);
    assert.equal((await get(b, '/v1/responses/resp_madeup')).statusCode, 404);
    // Postgres keeps only the tombstone.
    const row = (await db.query(`SELECT input_items, response FROM "${schema}".stored_responses WHERE id = $1`, [firstId])).rows[0];
    assert.deepEqual(row, { input_items: '[]', response: '{}' });
  });
});

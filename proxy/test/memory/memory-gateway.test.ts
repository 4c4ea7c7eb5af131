// The memory layer through the gateway: what one conversation states is recalled into the next, at the start
// of its first message, byte for byte the same on every later turn; the admin API lists, searches, edits and
// deletes memories.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/index.ts';
import { UPSTREAM_KEY } from '../helpers/harness.ts';
import { removeDir, startExtensionGateway, tempDataDir, type ExtensionGateway } from '../tools/extension-harness.ts';
import { startFakeEmbeddings } from './fake-embeddings.ts';

describe('memory through the gateway', () => {
  let fake: FakeAnthropic;
  let gw: ExtensionGateway;
  let dir: string;

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
    dir = tempDataDir();
    gw = await startExtensionGateway({ fake, dataDir: dir, config: { enableMemoryLayer: true } });
  });
  after(async () => {
    await gw.close();
    await fake.close();
    removeDir(dir);
  });

  const chat = async (messages: unknown[]) => {
    const res = await gw.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: gw.auth, payload: { model: 'sonnet', messages } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { choices: Array<{ message: { content: string } }> };
  };
  const lastUpstream = () => fake.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body;
  const idle = () => gw.app.gatewayContext.chatExtensions!.memory!.idle();

  test('a stated decision is recalled into a new conversation and stays byte-identical across turns', async () => {
    await chat([{ role: 'user', content: 'We decided to use pnpm workspaces instead of npm for this monorepo.' }]);
    await idle();

    const system = { role: 'system', content: 'You are a build assistant.' };
    const first = { role: 'user', content: 'How do I add a dependency to the monorepo workspaces?' };
    const turn1 = await chat([system, first]);
    const sent1 = lastUpstream();
    const block = sent1.messages[0].content[0];
    assert.equal(block.type, 'text');
    assert.match(block.text, /^<gateway_memory>\n/);
    assert.match(block.text, /- \(decision\) We decided to use pnpm workspaces instead of npm for this monorepo\./);
    assert.deepEqual(sent1.messages[0].content[1], { type: 'text', text: first.content });
    assert.deepEqual(sent1.system, [{ type: 'text', text: 'You are a build assistant.' }], 'the system prompt is untouched');

    // Something new that would match even better arrives between the turns: the conversation keeps its block.
    await chat([{ role: 'user', content: 'Always add monorepo dependencies with pnpm add --filter for the workspace.' }]);
    await idle();

    await chat([system, first, { role: 'assistant', content: turn1.choices[0]!.message.content }, { role: 'user', content: 'And for dev dependencies?' }]);
    const sent2 = lastUpstream();
    assert.equal(JSON.stringify(sent2.messages[0]), JSON.stringify(sent1.messages[0]), 'same bytes for the first message');
    assert.equal(JSON.stringify(sent2.system), JSON.stringify(sent1.system));
    assert.equal(sent2.messages.length, 3);
  });

  test('a streamed answer is remembered too: the user statement and an important final answer', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'The root cause was the retry loop resetting its backoff on every attempt.' }] }));
    try {
      const res = await gw.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: gw.auth,
        payload: { model: 'sonnet', stream: true, messages: [{ role: 'user', content: 'Retries must never reset the backoff between attempts.' }] },
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /data: \[DONE\]/);
      await idle();
      const texts = gw.app.gatewayContext.chatExtensions!.memory!.store.list({ projectId: 'default', limit: 2 }).map((m) => [m.source, m.kind, m.text]);
      assert.deepEqual(texts, [
        ['assistant', 'answer', 'The root cause was the retry loop resetting its backoff on every attempt.'],
        ['user', 'requirement', 'Retries must never reset the backoff between attempts.'],
      ]);
    } finally {
      fake.setResponder(undefined);
    }
  });

  test('admin API: list, search, edit, delete', async () => {
    const list = await gw.app.inject({ method: 'GET', url: '/admin/memories?project=default&kind=decision', headers: gw.admin });
    assert.equal(list.statusCode, 200);
    const data = list.json().data as Array<{ id: string; text: string; kind: string; projectId: string; source: string }>;
    assert.deepEqual(
      data.map((m) => [m.kind, m.source, m.text]),
      [
        ['decision', 'user', 'We decided to use pnpm workspaces instead of npm for this monorepo.'],
      ],
    );
    assert.equal(list.json().nextBefore, null);

    const search = await gw.app.inject({ method: 'GET', url: '/admin/memories?project=default&q=npm%20monorepo', headers: gw.admin });
    assert.equal(search.statusCode, 200);
    assert.equal(search.json().data[0].via, 'text');
    assert.ok(search.json().data.length >= 1);

    const decision = data[0]!;
    const all = await gw.app.inject({ method: 'GET', url: '/admin/memories?project=default&limit=2', headers: gw.admin });
    assert.equal(all.json().data.length, 2);
    assert.equal(all.json().nextBefore, all.json().data[1].id);
    const edited = await gw.app.inject({ method: 'PUT', url: `/admin/memories/${decision.id}`, headers: gw.admin, payload: { text: 'Use pnpm 9 workspaces, never npm.', kind: 'requirement' } });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual([edited.json().text, edited.json().kind], ['Use pnpm 9 workspaces, never npm.', 'requirement']);

    const bad = await gw.app.inject({ method: 'PUT', url: `/admin/memories/${decision.id}`, headers: gw.admin, payload: { kind: 'wish' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.param, 'kind');

    const added = await gw.app.inject({ method: 'POST', url: '/admin/memories', headers: gw.admin, payload: { project: 'default', text: 'Release notes live in docs/releases.' } });
    assert.equal(added.statusCode, 201);
    assert.deepEqual([added.json().kind, added.json().source], ['note', 'admin']);

    const removed = await gw.app.inject({ method: 'DELETE', url: `/admin/memories/${decision.id}`, headers: gw.admin });
    assert.equal(removed.statusCode, 204);
    const gone = await gw.app.inject({ method: 'GET', url: `/admin/memories/${decision.id}`, headers: gw.admin });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'memory_not_found');

    const denied = await gw.app.inject({ method: 'GET', url: '/admin/memories', headers: gw.auth });
    assert.equal(denied.statusCode, 401);
  });
});

describe('memory through the gateway, with an embeddings endpoint', () => {
  test('recalls by meaning into a new conversation', async () => {
    const fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
    const embeddings = await startFakeEmbeddings();
    const dir = tempDataDir();
    const gw = await startExtensionGateway({
      fake,
      dataDir: dir,
      config: { enableMemoryLayer: true, embeddingApiUrl: `${embeddings.url}/embeddings`, embeddingModel: 'fake-embed', embeddingApiKey: 'k' },
    });
    try {
      const send = (content: string) =>
        gw.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: gw.auth, payload: { model: 'sonnet', messages: [{ role: 'user', content }] } });
      await send('All queries must go through the postgres repository layer.');
      await gw.app.gatewayContext.chatExtensions!.memory!.idle();
      await send('Which database access pattern fits this service?');
      const sent = fake.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body;
      assert.match(sent.messages[0].content[0].text, /- \(requirement\) All queries must go through the postgres repository layer\./);
      assert.ok(embeddings.calls.length >= 2);
      assert.equal(embeddings.calls[0]!.model, 'fake-embed');
    } finally {
      await gw.close();
      await embeddings.close();
      await fake.close();
      removeDir(dir);
    }
  });
});

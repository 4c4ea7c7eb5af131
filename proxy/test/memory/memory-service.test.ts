// The memory layer on a real SQLite database: deduplication, recall with and without embeddings (a fake
// embeddings endpoint), pins that never change, and what edits and deletions do.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEmbedder } from '../../src/memory/embeddings.ts';
import { createMemoryService, type MemoryService } from '../../src/memory/memory-service.ts';
import { createMemoryStore } from '../../src/memory/memory-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openSqlite, type Db } from '../../src/store/sqlite.ts';
import type { ChatRequest } from '../../src/translate/openai-types.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { startFakeEmbeddings, type FakeEmbeddings } from './fake-embeddings.ts';
import { chatAnchor, conversationIds } from '../../src/translate/conversation-id.ts';
import { pinKeyOfEarlierVersions } from '../../src/memory/conversation-key.ts';

function openDb(): Db {
  const db = openSqlite(':memory:');
  migrate(db, MIGRATIONS, ':memory:');
  return db;
}

function service(db: Db, embeddingsUrl?: string): MemoryService {
  let n = 0;
  const errors: unknown[] = [];
  return createMemoryService({
    store: createMemoryStore(db, () => 1_700_000_000_000, () => `m${++n}`),
    embedder: embeddingsUrl ? createEmbedder({ url: embeddingsUrl, apiKey: 'emb-key', model: 'fake-embed' }) : undefined,
    budgetTokens: 400,
    maxRecall: 4,
    now: () => 1_700_000_000_000,
    onError: (error) => errors.push(error),
  });
}

const chat = (...messages: ChatRequest['messages']): ChatRequest => ({ model: 'sonnet', messages });
// A pin as the chat route asks for it: keyed by the request's conversation id.
const pinFor = (memory: MemoryService, projectId: string, request: ChatRequest) => memory.pin(projectId, request, conversationIds(chatAnchor(request.messages)).content);

async function seed(memory: MemoryService, project = 'p1'): Promise<void> {
  memory.capture(project, chat({ role: 'user', content: 'All SQL must go through the postgres query builder, never raw strings.' }), undefined);
  memory.capture(project, chat({ role: 'user', content: 'We decided to use tabs for indentation in every Go file.' }), undefined);
  memory.capture(project, chat({ role: 'user', content: 'Always write the changelog entry before opening a pull request.' }), undefined);
  await memory.idle();
}

describe('memory store', () => {
  test('an exact duplicate (case, spacing, punctuation) is one memory seen twice', async () => {
    const memory = service(openDb());
    memory.capture('p1', chat({ role: 'user', content: 'Never commit secrets to the repository.' }), undefined);
    memory.capture('p1', chat({ role: 'user', content: 'never commit   SECRETS to the repository!' }), undefined);
    memory.capture('p2', chat({ role: 'user', content: 'Never commit secrets to the repository.' }), undefined);
    await memory.idle();
    const p1 = memory.store.list({ projectId: 'p1', limit: 10 });
    assert.equal(p1.length, 1);
    assert.equal(p1[0]!.seenCount, 2);
    assert.equal(p1[0]!.text, 'Never commit secrets to the repository.');
    assert.equal(memory.store.list({ projectId: 'p2', limit: 10 }).length, 1, 'projects are kept apart');
  });

  test('without embeddings a reworded statement with the same words is a near-duplicate', async () => {
    const memory = service(openDb());
    memory.capture('p1', chat({ role: 'user', content: 'Always run the linter before each commit in this repo.' }), undefined);
    memory.capture('p1', chat({ role: 'user', content: 'Always run the linter in this repo, before each commit.' }), undefined);
    await memory.idle();
    const rows = memory.store.list({ projectId: 'p1', limit: 10 });
    assert.deepEqual(rows.map((m) => [m.text, m.seenCount]), [['Always run the linter before each commit in this repo.', 2]]);
  });
});

describe('recall without embeddings (full-text BM25)', () => {
  test('finds memories sharing words with the first message, only in its project', async () => {
    const memory = service(openDb());
    await seed(memory);
    await seed(memory, 'other');
    const hits = await memory.search('p1', 'How should I format the Go file indentation?', 5);
    assert.deepEqual(hits.map((h) => [h.memory.text, h.via]), [['We decided to use tabs for indentation in every Go file.', 'text']]);
    assert.ok(hits[0]!.score > 0);
    assert.equal(hits[0]!.memory.projectId, 'p1');
    assert.deepEqual(await memory.search('p1', 'kubernetes helm chart', 5), []);
  });
});

describe('recall with embeddings', () => {
  let fake: FakeEmbeddings;
  before(async () => {
    fake = await startFakeEmbeddings();
  });
  after(() => fake.close());

  test('finds a memory by meaning where full-text search finds nothing', async () => {
    const db = openDb();
    const memory = service(db, fake.url);
    await seed(memory);
    // "database" shares no word with "postgres", which only the embeddings know are related.
    const query = 'Which database layer do I use for queries?';
    const vector = await memory.search('p1', query, 1);
    assert.equal(vector.length, 1);
    assert.equal(vector[0]!.via, 'vector');
    assert.equal(vector[0]!.memory.text, 'All SQL must go through the postgres query builder, never raw strings.');
    assert.ok(vector[0]!.score > 0.35 && vector[0]!.score <= 1);
    assert.deepEqual(await service(db).search('p1', 'Which database layer?', 3), [], 'BM25 alone misses it');
    assert.equal(fake.calls[0]!.model, 'fake-embed');
    assert.equal(fake.calls[0]!.authorization, 'Bearer emb-key');
  });

  test('memories stored before the endpoint was configured are embedded when first searched', async () => {
    const db = openDb();
    await seed(service(db));
    const before = fake.calls.length;
    const hits = await service(db, fake.url).search('p1', 'postgres', 1);
    assert.equal(hits[0]!.via, 'vector');
    assert.deepEqual(fake.calls[before]!.input.length, 3, 'the three stored memories, in one call');
  });

  test('an endpoint that fails falls back to full-text search', async () => {
    const db = openDb();
    const memory = service(db, fake.url);
    await seed(memory);
    fake.failWith(503);
    try {
      const hits = await memory.search('p1', 'changelog entry', 2);
      assert.deepEqual(hits.map((h) => h.via), ['text']);
    } finally {
      fake.failWith(0);
    }
  });
});

describe('pins', () => {
  test('decided at the first turn, replayed unchanged, empty for a conversation first seen mid-way', async () => {
    const memory = service(openDb());
    await seed(memory);
    const first = chat({ role: 'system', content: 'You are a coder.' }, { role: 'user', content: 'Set up the Go file indentation.' });
    const pin = await pinFor(memory, 'p1', first);
    assert.equal(pin.decided, 'new');
    assert.match(pin.block, /tabs for indentation/);
    // A new memory that would match better does not change the pinned block.
    memory.capture('p1', chat({ role: 'user', content: 'Go indentation must use tabs, and gofmt must run on save.' }), undefined);
    await memory.idle();
    const later = await pinFor(memory, 'p1', chat(...first.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'next' }));
    assert.deepEqual([later.decided, later.block], ['kept', pin.block]);

    const resumed = await pinFor(memory, 'p1', chat({ role: 'user', content: 'Go indentation question' }, { role: 'assistant', content: 'yes' }, { role: 'user', content: 'more' }));
    assert.deepEqual([resumed.decided, resumed.block], ['resumed', '']);
  });

  test('editing or deleting a memory drops the pins that carry it', async () => {
    const memory = service(openDb());
    await seed(memory);
    const conversation = chat({ role: 'user', content: 'Write the changelog entry for this pull request.' });
    const pin = await pinFor(memory, 'p1', conversation);
    assert.equal(pin.memoryIds.length, 1);
    const edited = memory.edit(pin.memoryIds[0]!, { text: 'Always write the changelog entry after review, before merging a pull request.' });
    assert.ok(edited && edited !== 'duplicate');
    const repinned = await pinFor(memory, 'p1', conversation);
    assert.equal(repinned.decided, 'new');
    assert.match(repinned.block, /after review, before merging/);
    assert.ok(memory.forget(pin.memoryIds[0]!));
    assert.equal((await pinFor(memory, 'p1', conversation)).block, '');
  });

  test('a pin written under the key of earlier versions is found, and kept under the conversation id', async () => {
    const db = openDb();
    const memory = service(db);
    const first = chat({ role: 'system', content: 'You are a coder.' }, { role: 'user', content: 'Set up the Go file indentation.' });
    memory.store.putPin('p1', pinKeyOfEarlierVersions(first), { block: '<memory>earlier block</memory>', memoryIds: [] });
    const later = chat(...first.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'next' });
    const pin = await pinFor(memory, 'p1', later);
    assert.deepEqual([pin.decided, pin.block], ['kept', '<memory>earlier block</memory>']);
    const id = conversationIds(chatAnchor(later.messages)).content!;
    assert.equal(memory.store.getPin('p1', id)?.block, '<memory>earlier block</memory>');
  });

  test('a request with no human message yet gets no pin', async () => {
    const memory = service(openDb());
    const pin = await pinFor(memory, 'p1', chat({ role: 'system', content: 'You are a coder.' }));
    assert.deepEqual([pin.block, pin.memoryIds], ['', []]);
  });
});

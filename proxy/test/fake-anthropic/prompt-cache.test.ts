import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from './index.ts';
import { filler, post, request, VERSION_HEADERS } from './test-helpers.ts';

// The fake's documented token rule: a block costs ceil(length of its JSON, without cache_control, / 4).
const tok = (block: unknown) => Math.ceil(JSON.stringify(block).length / 4);
const text = (t: string) => ({ type: 'text', text: t });
const cached = (t: string, ttl?: '5m' | '1h') => ({ type: 'text', text: t, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } });

const MINUTE = 60_000;
let clock = 0;
let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ now: () => clock });
});
after(() => fake.close());
beforeEach(() => {
  clock = 1_000_000;
  fake.reset();
});

interface Usage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

async function usage(body: Record<string, unknown>, headers: Record<string, string> = VERSION_HEADERS): Promise<Usage> {
  const res = await post(fake, '/v1/messages', body, headers);
  assert.equal(res.status, 200, res.text);
  return res.json.usage;
}

/** [read, written 5m, written 1h, uncached input] */
const split = (u: Usage) => [u.cache_read_input_tokens, u.cache_creation.ephemeral_5m_input_tokens, u.cache_creation.ephemeral_1h_input_tokens, u.input_tokens];

const SYSTEM = filler('system', 1500);
const SYS = tok(text(SYSTEM));

describe('prompt caching arithmetic', () => {
  test('the first call writes the prefix, the second reads it', async () => {
    const body = request({ system: [cached(SYSTEM)], messages: [{ role: 'user', content: 'What now?' }] });
    const user = tok(text('What now?'));
    const first = await usage(body);
    assert.deepEqual(split(first), [0, SYS, 0, user]);
    assert.equal(first.cache_creation_input_tokens, SYS);
    const second = await usage(body);
    assert.deepEqual(split(second), [SYS, 0, 0, user]);
    assert.equal(second.cache_creation_input_tokens, 0);
  });

  test('a growing conversation reads the previous turn and writes only the new blocks', async () => {
    const u1 = 'first question';
    const a1 = 'first answer';
    const u2 = 'second question';
    const turn1 = await usage(request({ system: [cached(SYSTEM)], messages: [{ role: 'user', content: [cached(u1)] }] }));
    assert.deepEqual(split(turn1), [0, SYS + tok(text(u1)), 0, 0]);
    const turn2 = await usage(
      request({
        system: [cached(SYSTEM)],
        messages: [
          { role: 'user', content: [text(u1)] },
          { role: 'assistant', content: a1 },
          { role: 'user', content: [cached(u2)] },
        ],
      }),
    );
    assert.deepEqual(split(turn2), [SYS + tok(text(u1)), tok(text(a1)) + tok(text(u2)), 0, 0]);
  });

  test('a change in the middle invalidates everything after the change point', async () => {
    const conversation = (firstQuestion: string) =>
      request({
        system: [cached(SYSTEM)],
        messages: [
          { role: 'user', content: firstQuestion },
          { role: 'assistant', content: 'an answer' },
          { role: 'user', content: [cached('a follow-up')] },
        ],
      });
    const rest = tok(text('an answer')) + tok(text('a follow-up'));
    await usage(conversation('original question'));
    const same = await usage(conversation('original question'));
    assert.deepEqual(split(same), [SYS + tok(text('original question')) + rest, 0, 0, 0]);
    const edited = await usage(conversation('edited question'));
    assert.deepEqual(split(edited), [SYS, tok(text('edited question')) + rest, 0, 0]);
  });

  test('entries expire after 5 minutes unless a read refreshes them', async () => {
    const body = request({ system: [cached(SYSTEM)] });
    await usage(body);
    clock += 4 * MINUTE + 59_000;
    assert.equal((await usage(body)).cache_read_input_tokens, SYS);
    clock += 4 * MINUTE + 59_000; // 9m58s after the write, 4m59s after the refreshing read
    assert.equal((await usage(body)).cache_read_input_tokens, SYS);
    clock += 5 * MINUTE;
    const expired = await usage(body);
    assert.deepEqual(split(expired).slice(0, 2), [0, SYS]);
  });

  test('a 1h breakpoint outlives the 5m one and is billed separately', async () => {
    const user = filler('user', 300);
    const body = request({ system: [cached(SYSTEM, '1h')], messages: [{ role: 'user', content: [cached(user)] }] });
    const first = await usage(body);
    assert.deepEqual(split(first), [0, tok(text(user)), SYS, 0]);
    assert.equal(first.cache_creation_input_tokens, SYS + tok(text(user)));
    clock += 30 * MINUTE;
    const later = await usage(body);
    assert.deepEqual(split(later), [SYS, tok(text(user)), 0, 0]);
    clock += 61 * MINUTE;
    assert.deepEqual(split(await usage(body)), [0, tok(text(user)), SYS, 0]);
  });

  test('prefixes below the model minimum are not cached, silently', async () => {
    const short = filler('short', 700);
    const body = (model: string) => request({ model, system: [cached(short)], messages: [{ role: 'user', content: 'hi' }] });
    const total = tok(text(short)) + tok(text('hi'));
    // Sonnet 4.5 needs 1,024 tokens; Opus 5 needs 512.
    assert.deepEqual(split(await usage(body('claude-sonnet-4-5'))), [0, 0, 0, total]);
    assert.deepEqual(split(await usage(body('claude-sonnet-4-5'))), [0, 0, 0, total]);
    assert.deepEqual(split(await usage(body('claude-opus-5'))), [0, tok(text(short)), 0, tok(text('hi'))]);
  });

  test('the lookback finds a write at most 20 blocks back, counting the breakpoint', async () => {
    const blocks = (n: number, marks: number[]) =>
      Array.from({ length: n }, (_, i) => (marks.includes(i + 1) ? cached(`block ${i + 1}`) : text(`block ${i + 1}`)));
    const body = (n: number, marks: number[]) => request({ system: SYSTEM, messages: [{ role: 'user', content: blocks(n, marks) }] });
    const upTo = (n: number) => SYS + blocks(n, []).reduce((sum, b) => sum + tok(b), 0);

    assert.equal((await usage(body(10, [10]))).cache_creation_input_tokens, upTo(10));
    const turn2 = await usage(body(15, [15]));
    assert.equal(turn2.cache_read_input_tokens, upTo(10), 'block 10 is within 20 positions of block 15');
    const turn3 = await usage(body(35, [35]));
    assert.equal(turn3.cache_read_input_tokens, 0, 'block 15 is 21 positions before block 35');
    fake.reset();
    await usage(body(10, [10]));
    await usage(body(15, [15]));
    const withSecond = await usage(body(35, [15, 35]));
    assert.equal(withSecond.cache_read_input_tokens, upTo(15), 'a second breakpoint starts its own window');
  });

  test('tool_choice, images and thinking invalidate messages but keep tools and system', async () => {
    const tools = [{ name: 'search', description: filler('tools', 1200), input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }];
    const TOOLS = tok({ name: 'search', description: filler('tools', 1200), input_schema: { type: 'object' } });
    const base = {
      max_tokens: 4096,
      tools,
      system: [cached(SYSTEM)],
      messages: [{ role: 'user', content: [cached('question')] }],
    };
    const everything = TOOLS + SYS + tok(text('question'));
    await usage(request(base));
    assert.equal((await usage(request(base))).cache_read_input_tokens, everything);
    const choice = await usage(request({ ...base, tool_choice: { type: 'any' } }));
    assert.equal(choice.cache_read_input_tokens, TOOLS + SYS);
    const thinking = await usage(request({ ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }));
    assert.equal(thinking.cache_read_input_tokens, TOOLS + SYS);
    const image = { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } };
    const withImage = await usage(request({ ...base, messages: [{ role: 'user', content: [image, cached('question')] }] }));
    assert.equal(withImage.cache_read_input_tokens, TOOLS + SYS);
    const changedTools = await usage(request({ ...base, tools: [{ ...tools[0], description: 'different' }] }));
    assert.equal(changedTools.cache_read_input_tokens, 0);
  });

  test('the prefix must be identical, key order included, but string content equals one text block', async () => {
    const history = (input: Record<string, unknown>, question: unknown) =>
      request({
        system: SYSTEM,
        tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'done', cache_control: { type: 'ephemeral' } }] },
        ],
      });
    const first = await usage(history({ a: 1, b: 2 }, 'find it'));
    const written = first.cache_creation_input_tokens;
    assert.ok(written > 0);
    assert.equal((await usage(history({ a: 1, b: 2 }, [text('find it')]))).cache_read_input_tokens, written);
    assert.equal((await usage(history({ b: 2, a: 1 }, 'find it'))).cache_read_input_tokens, 0);
  });

  test('automatic caching moves the breakpoint to the last block each turn', async () => {
    const turn1 = await usage(request({ cache_control: { type: 'ephemeral' }, system: SYSTEM, messages: [{ role: 'user', content: 'one' }] }));
    assert.equal(turn1.cache_creation_input_tokens, SYS + tok(text('one')));
    const turn2 = await usage(
      request({
        cache_control: { type: 'ephemeral' },
        system: SYSTEM,
        messages: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'two' },
          { role: 'user', content: 'three' },
        ],
      }),
    );
    assert.deepEqual(split(turn2), [SYS + tok(text('one')), tok(text('two')) + tok(text('three')), 0, 0]);
  });

  test('caches are kept apart per API key and per model', async () => {
    const body = request({ system: [cached(SYSTEM)] });
    await usage(body, { ...VERSION_HEADERS, 'x-api-key': 'workspace-a' });
    assert.equal((await usage(body, { ...VERSION_HEADERS, 'x-api-key': 'workspace-a' })).cache_read_input_tokens, SYS);
    assert.equal((await usage(body, { ...VERSION_HEADERS, 'x-api-key': 'workspace-b' })).cache_read_input_tokens, 0);
    assert.equal((await usage({ ...body, model: 'claude-opus-4-6' }, { ...VERSION_HEADERS, 'x-api-key': 'workspace-a' })).cache_read_input_tokens, 0);
  });

  test('usage adds up to count_tokens, and streaming reports the same numbers', async () => {
    const body = request({ system: [cached(SYSTEM)], messages: [{ role: 'user', content: 'tell me' }] });
    const counted = (await post(fake, '/v1/messages/count_tokens', { model: body.model, system: body.system, messages: body.messages })).json.input_tokens;
    const first = await usage(body);
    assert.equal(first.input_tokens + first.cache_creation_input_tokens + first.cache_read_input_tokens, counted);
    const streamed = await post(fake, '/v1/messages', { ...body, stream: true });
    const start = JSON.parse(streamed.text.split('\n')[1]!.slice('data: '.length));
    assert.equal(start.message.usage.cache_read_input_tokens, SYS);
    assert.equal(start.message.usage.input_tokens + SYS, counted);
  });
});

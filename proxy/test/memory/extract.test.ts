import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromAnswer, fromUserText, humanText, normalizeForHash } from '../../src/memory/extract.ts';

describe('fromUserText', () => {
  test('keeps requirements, decisions and notes; skips questions, chatter and code', () => {
    const text = [
      'Hi there! Can you help me with the parser?',
      'All public functions must have JSDoc comments.',
      "We decided to use pnpm instead of npm for this repo.",
      'Remember that the staging database is read-only.',
      "Don't touch the generated files under src/gen.",
      'Should we also add tests?',
      '```ts\nconst x = 1; // must not change\n```',
      'I think it looks fine.',
    ].join('\n');
    assert.deepEqual(fromUserText(text), [
      { kind: 'requirement', source: 'user', text: 'All public functions must have JSDoc comments.' },
      { kind: 'decision', source: 'user', text: 'We decided to use pnpm instead of npm for this repo.' },
      { kind: 'note', source: 'user', text: 'The staging database is read-only.' },
      { kind: 'requirement', source: 'user', text: "Don't touch the generated files under src/gen." },
    ]);
  });

  test('ignores IDE sections and tool output sent as user text', () => {
    const cline = '<task>\nAlways use tabs for indentation in Go files.\n</task>\n<environment_details>\n# Current time\nYou must not rely on this.\n</environment_details>';
    assert.deepEqual(fromUserText(cline), [{ kind: 'requirement', source: 'user', text: 'Always use tabs for indentation in Go files.' }]);
    assert.deepEqual(fromUserText("[read_file for 'a.ts'] Result:\nexport const must = 'always use this';"), []);
    assert.equal(humanText('see `npm test` now').trim(), 'see npm test now');
  });

  test('the same statement twice in one message is kept once', () => {
    assert.equal(fromUserText('Never commit secrets to git.\nNever commit secrets to git!').length, 1);
  });
});

describe('fromAnswer', () => {
  const outcome = 'The root cause was a stale cache entry keyed by the file path only.\n\nI changed the key to include the content hash.';

  test('keeps the outcome paragraphs of a final answer', () => {
    assert.deepEqual(fromAnswer({ text: outcome, finishReason: 'stop', toolCalls: 0 }), [
      { kind: 'answer', source: 'assistant', text: 'The root cause was a stale cache entry keyed by the file path only.' },
    ]);
    assert.deepEqual(fromAnswer({ text: 'Going forward we will use the repository pattern for all data access code.', finishReason: 'stop', toolCalls: 0 }), [
      { kind: 'decision', source: 'assistant', text: 'Going forward we will use the repository pattern for all data access code.' },
    ]);
  });

  test('skips answers that call tools, were cut off, or state no outcome', () => {
    assert.deepEqual(fromAnswer({ text: outcome, finishReason: 'tool_calls', toolCalls: 1 }), []);
    assert.deepEqual(fromAnswer({ text: outcome, finishReason: 'length', toolCalls: 0 }), []);
    assert.deepEqual(fromAnswer({ text: 'Here is the file you asked for, with the changes applied as requested.', finishReason: 'stop', toolCalls: 0 }), []);
  });
});

test('normalizeForHash folds case, punctuation and spacing', () => {
  assert.equal(normalizeForHash('  Never   commit SECRETS, ok?! '), 'never commit secrets ok');
});

test('a recalled memory block quoted back is not remembered again', () => {
  const block = '<gateway_memory>\nContext remembered:\n- (decision) We decided to use pnpm.\n</gateway_memory>';
  assert.deepEqual(fromUserText(`${block}\nHow do I add a package?`), []);
  assert.deepEqual(fromAnswer({ text: `Echo: ${block}`, finishReason: 'stop', toolCalls: 0 }), []);
});

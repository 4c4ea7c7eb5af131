// What the router reads from a request: keywords from the person's words only, files, error traces, the tool
// loop, and the same view from an OpenAI chat body and an Anthropic Messages body.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countErrorTraces, countFileRefs, extractFeatures } from '../../src/routing/features.ts';
import { matchKeywordGroups } from '../../src/routing/keywords.ts';
import { routingInputFromAnthropic, routingInputFromChat } from '../../src/routing/routing-input.ts';

describe('keywords', () => {
  const table: Array<[string, string[]]> = [
    ['Design a scalable architecture', ['architecture']],
    ['Is this SQL injection-safe? security review please', ['security']],
    ['Migrate the users table; this runs in production', ['migration', 'production']],
    ['fix the race condition in the worker pool', ['concurrency']],
    ['rename foo to bar', ['trivial']],
    ['designer mugs are nice', ['architecture']], // a stem match: "design…" counts
    ['hello world', []],
  ];
  for (const [text, groups] of table) {
    test(JSON.stringify(text), () => assert.deepEqual(matchKeywordGroups(text), groups));
  }
});

describe('file references', () => {
  const table: Array<[string, number]> = [
    ['look at src/app.ts and src/app.ts again', 1],
    ['compare `lib/a.py`, lib/b.py and README.md.', 3],
    ['@src/components/Button.tsx is broken', 1],
    ['we use Node.js and Vue.js', 0],
    ['see https://example.com/page and version 1.2.3', 0],
    ['Cargo.toml, go.mod and main.go', 2],
  ];
  for (const [text, count] of table) {
    test(JSON.stringify(text), () => assert.equal(countFileRefs(text), count));
  }
});

describe('error traces', () => {
  const table: Array<[string, string, number]> = [
    ['python', 'Traceback (most recent call last):\n  File "a.py", line 1\nValueError', 1],
    ['node', 'Error: boom\n    at run (/app/index.js:3:9)\n    at main (/app/index.js:9:1)\n', 1],
    ['a single frame is not a trace', 'see    at run (/app/index.js:3:9)\n', 0],
    ['rust', "error[E0382]: borrow of moved value\nthread 'main' panicked at src/main.rs:4:5", 2],
    ['go', 'panic: runtime error: index out of range\n\ngoroutine 1 [running]:', 1],
    ['compiler', 'src/a.ts(3,5): error TS2322: nope\nsrc/b.ts:10:2: error: missing', 2],
    ['prose', 'There is an error somewhere, at least I think so.', 0],
  ];
  for (const [name, text, count] of table) {
    test(name, () => assert.equal(countErrorTraces(text), count));
  }
});

describe('features', () => {
  test('keywords come from the latest human message, never from the system prompt or tool output', () => {
    const features = extractFeatures({
      system: 'Follow security best practices in production architecture.',
      messages: [
        { role: 'user', text: 'Design the schema', human: true },
        { role: 'assistant', text: 'ok', human: false },
        { role: 'user', text: 'now add a test', human: true },
        { role: 'tool', text: 'migration output', human: false },
      ],
      toolCount: 3,
    });
    assert.deepEqual(features.keywordGroups, []);
    assert.equal(features.midToolLoop, true);
    assert.equal(features.humanChars, 'now add a test'.length);
  });

  test('an OpenAI body and an Anthropic body give the same routing input', () => {
    const chat = routingInputFromChat({
      model: 'auto',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Read src/a.ts' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'file body' },
      ],
      tools: [{ type: 'function', function: { name: 'read' } }],
    });
    const anthropic = routingInputFromAnthropic({
      model: 'auto',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'Read src/a.ts' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'file body' }] },
      ],
      tools: [{ name: 'read', input_schema: { type: 'object' } }],
    });
    assert.deepEqual(chat.system, anthropic.system);
    assert.deepEqual(chat.messages.map((m) => [m.role, m.human]), anthropic.messages.map((m) => [m.role, m.human]));
    assert.deepEqual(chat.messages.filter((m) => m.role !== 'assistant'), anthropic.messages.filter((m) => m.role !== 'assistant'));
    assert.equal(chat.toolCount, 1);
    assert.equal(anthropic.toolCount, 1);
    assert.deepEqual(extractFeatures(chat).fileRefs, 1);
  });
});

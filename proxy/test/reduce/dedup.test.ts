import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { dedupRequest } from '../../src/reduce/dedup.ts';
import { checkReferences } from '../../src/reduce/references.ts';
import { APP_PY, clineSession, request, toolSession } from './conversations.ts';

function text(m: MessageParam): string {
  return typeof m.content === 'string' ? m.content : m.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_result' ? String(b.content) : '')).join('\n');
}

describe('dedup: later copies become references to the earlier one', () => {
  test('a file echoed back after the model wrote it points at the model\'s own copy', () => {
    const params = request(clineSession(2));
    const out = dedupRequest(params, new Map());
    const echo = text(out.messages[4]!);
    assert.match(echo, /<final_file_content path="src\/app\.py">\n\[gateway: \d+ lines omitted, identical to an earlier copy above starting "\\"\\"\\"A small command-line tool used by the" \(ref [0-9a-f]{8}\)\]\n<\/final_file_content>/);
    // The model's own message is untouched.
    assert.equal(out.messages[3], params.messages[3]);
  });

  test('the first copy stays verbatim and every reference resolves', () => {
    const params = request(clineSession(12));
    const out = dedupRequest(params, new Map());
    assert.equal(out.messages[2], params.messages[2]);
    assert.ok(text(out.messages[2]!).includes(APP_PY.split('\n')[10]!));
    const check = checkReferences(out);
    assert.ok(check.references > 5);
    assert.deepEqual(check.dangling, []);
  });

  test('a partly changed file keeps its changed lines and references the rest', () => {
    const params = request([
      { role: 'user', content: `first read:\n${APP_PY}` },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: `second read:\n${APP_PY.replace('return value * 5 + 3', 'return value * 50 + 3')}` },
    ]);
    const out = dedupRequest(params, new Map());
    const second = text(out.messages[2]!);
    assert.ok(second.includes('return value * 50 + 3'));
    assert.equal((second.match(/\[gateway: \d+ lines omitted/g) ?? []).length, 2);
    assert.deepEqual(checkReferences(out).dangling, []);
  });

  test('short repeats are left alone', () => {
    const params = request([
      { role: 'user', content: 'run the tests please\nthen report' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'run the tests please\nthen report' },
    ]);
    assert.equal(dedupRequest(params, new Map()), params);
  });

  test('deduplicates inside tool_result blocks and keeps every pair intact', () => {
    const params = request(toolSession(6));
    const out = dedupRequest(params, new Map());
    for (let i = 1; i < out.messages.length; i += 2) {
      const calls = (out.messages[i]!.content as Array<{ type: string; id?: string }>).filter((b) => b.type === 'tool_use').map((b) => b.id);
      const results = (out.messages[i + 1]!.content as Array<{ type: string; tool_use_id?: string }>).map((b) => b.tool_use_id);
      assert.deepEqual(results, calls);
    }
    assert.match(JSON.stringify(out.messages[6]!.content), /\[gateway: \d+ lines omitted/);
    assert.deepEqual(checkReferences(out).dangling, []);
  });

  test('records the original text of each reference for repairs', () => {
    const originals = new Map<string, string>();
    dedupRequest(request(clineSession(2)), originals);
    assert.ok([...originals.values()].some((t) => t === APP_PY.replace('VERSION = 1', 'VERSION = 2')));
  });
});

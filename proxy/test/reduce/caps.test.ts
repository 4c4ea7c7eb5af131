import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capRequest, capText } from '../../src/reduce/caps.ts';
import { request } from './conversations.ts';

const lines = Array.from({ length: 400 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`).join('\n');

describe('caps: head and tail with a marker', () => {
  test('a text under its cap is returned as is', () => {
    assert.equal(capText('short', 100, 'message'), 'short');
    assert.equal(capText(lines, 0, 'message'), lines);
  });

  test('keeps the head and the tail at line ends and says how much was cut', () => {
    const capped = capText(lines, 4000, 'tool result', 'TOOL_RESULT_MAX_CHARS=4000');
    assert.ok(capped.length <= 4000 + 200, `length ${capped.length}`);
    assert.ok(capped.startsWith('line 000 '));
    assert.ok(capped.endsWith(`line 399 ${'x'.repeat(40)}`));
    const marker = /\n\[gateway: (\d+) characters \((\d+) lines\) cut from the middle of this tool result to fit TOOL_RESULT_MAX_CHARS=4000; the first (\d+) and the last (\d+) are kept\]\n/.exec(capped);
    assert.ok(marker, capped.slice(2000, 2600));
    const [, cut, , head, tail] = marker.map(Number);
    assert.equal(cut! + head! + tail!, lines.length);
    // Whole lines only on both sides of the cut.
    const before = capped.slice(0, marker.index + 1);
    assert.match(before, /x{40}\n$/);
    assert.match(capped.slice(marker.index + marker[0].length), /^line \d{3} /);
  });

  test('is deterministic', () => {
    assert.equal(capText(lines, 3000, 'message'), capText(lines, 3000, 'message'));
  });

  test('applies the tool-result cap to tool results and to text-protocol tool output', () => {
    const params = request([
      { role: 'user', content: lines },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: lines }] },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: `[read_file for 'a.txt'] Result:\n${lines}` },
    ]);
    const out = capRequest(params, { systemMaxChars: 0, userMsgMaxChars: 100_000, toolResultMaxChars: 5000 });
    assert.equal(out.messages[0]!.content, lines);
    const result = (out.messages[2]!.content as Array<{ content: string }>)[0]!.content;
    assert.ok(result.length < 5200 && result.includes('cut from the middle of this tool result'));
    assert.ok((out.messages[4]!.content as string).includes('cut from the middle of this tool result'));
  });

  test('caps the system prompt in proportion across its blocks', () => {
    const params = { ...request([{ role: 'user', content: 'hi' }]), system: [{ type: 'text' as const, text: lines }, { type: 'text' as const, text: 'Be brief.' }] };
    const out = capRequest(params, { systemMaxChars: 6000, userMsgMaxChars: 0, toolResultMaxChars: 0 });
    const system = out.system as Array<{ text: string }>;
    assert.equal(system[1]!.text, 'Be brief.');
    assert.ok(system[0]!.text.length < 6200 && system[0]!.text.includes('cut from the middle of this system prompt'));
  });
});

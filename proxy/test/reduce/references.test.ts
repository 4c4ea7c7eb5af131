import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkReferences, lineRunReference, repairReferences, sectionReference } from '../../src/reduce/references.ts';
import { request } from './conversations.ts';

const copy = ['def main():', '    print("hello")', '    return 0'];

describe('references: every one points at a verbatim copy earlier in the request', () => {
  const ref = lineRunReference(copy);

  test('resolves against an earlier copy', () => {
    const params = request([
      { role: 'user', content: copy.join('\n') },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: `again:\n${ref.marker}` },
    ]);
    assert.deepEqual(checkReferences(params), { references: 1, dangling: [] });
  });

  test('a reference to content that is not there is dangling', () => {
    const params = request([{ role: 'user', content: `again:\n${ref.marker}` }]);
    assert.deepEqual(checkReferences(params), { references: 1, dangling: [{ message: 0, ref: ref.ref, kind: 'lines' }] });
  });

  test('a reference before its copy is dangling (copies must come earlier)', () => {
    const params = request([
      { role: 'user', content: ref.marker },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: copy.join('\n') },
    ]);
    assert.equal(checkReferences(params).dangling.length, 1);
  });

  test('an altered copy does not count', () => {
    const params = request([
      { role: 'user', content: copy.join('\n').replace('hello', 'hi') },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: ref.marker },
    ]);
    assert.equal(checkReferences(params).dangling.length, 1);
  });

  test('environment section references need the same heading and body earlier', () => {
    const body = 'a.py\nb.py\nc.py';
    const section = sectionReference(body);
    const block = (inner: string) => `<environment_details>\n# Open Tabs\n${inner}\n\n# Time\nnow\n</environment_details>`;
    const ok = request([{ role: 'user', content: block(body) }, { role: 'assistant', content: 'ok' }, { role: 'user', content: block(section.marker) }]);
    assert.deepEqual(checkReferences(ok).dangling, []);
    const wrong = request([{ role: 'user', content: block('a.py') }, { role: 'assistant', content: 'ok' }, { role: 'user', content: block(section.marker) }]);
    assert.equal(checkReferences(wrong).dangling.length, 1);
  });

  test('repair puts the original text back where the copy is missing', () => {
    const params = request([{ role: 'user', content: `again:\n${ref.marker}\nend` }]);
    const { params: repaired, repaired: n } = repairReferences(params, new Map([[ref.ref, ref.text]]));
    assert.equal(n, 1);
    assert.equal(repaired.messages[0]!.content, `again:\n${copy.join('\n')}\nend`);
    assert.deepEqual(checkReferences(repaired).dangling, []);
  });

  test('references in assistant text are not counted (the gateway never writes there)', () => {
    const params = request([{ role: 'user', content: 'hi' }, { role: 'assistant', content: ref.marker }, { role: 'user', content: 'next' }]);
    assert.deepEqual(checkReferences(params), { references: 0, dangling: [] });
  });
});

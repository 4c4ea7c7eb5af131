import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkReferences } from '../../src/reduce/references.ts';
import { stripRequest } from '../../src/reduce/strip.ts';
import { clineSession, request } from './conversations.ts';

function textOf(params: ReturnType<typeof request>, i: number): string {
  const content = params.messages[i]!.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

describe('strip: IDE boilerplate', () => {
  const original = request(clineSession(6));
  const stripped = stripRequest(original, new Map());

  test('keeps the first environment block and the first reminder whole', () => {
    assert.equal(textOf(stripped, 0), textOf(original, 0));
  });

  test('replaces unchanged sections of a later environment block by a reference, keeps what changed', () => {
    const later = textOf(stripped, 2);
    assert.match(later, /# VSCode Open Tabs\n\[gateway: unchanged since the previous environment_details \(ref [0-9a-f]{8}\)\]\n\n# Current Time\n8\/27\/2025, 8:01:00 PM/);
    assert.match(later, /# Context Window Usage\n1000 \/ 1,000K tokens used \(1%\)/);
    // Short sections cost less than a reference and stay.
    assert.match(later, /# Current Mode\nACT MODE\n<\/environment_details>$/);
  });

  test('a changed section stays verbatim', () => {
    const feedbackTurn = textOf(stripped, 10);
    assert.match(feedbackTurn, /# VSCode Open Tabs\nREADME\.md\n[\s\S]*notes-5\.md/);
  });

  test('a repeated reminder becomes a reference to its first copy', () => {
    const testTurn = textOf(stripped, 8);
    assert.doesNotMatch(testTurn, /^# TODO LIST RECOMMENDED$/m);
    assert.match(testTurn, /\[gateway: 7 lines omitted, identical to an earlier copy above starting "# TODO LIST RECOMMENDED" \(ref [0-9a-f]{8}\)\]/);
  });

  test('every reference points at a verbatim copy in the same request', () => {
    const check = checkReferences(stripped);
    // Open tabs unchanged on turns 1-4, the todo reminder again on turn 4.
    assert.equal(check.references, 5);
    assert.deepEqual(check.dangling, []);
  });

  test('leaves assistant messages alone', () => {
    for (let i = 1; i < original.messages.length; i += 2) assert.equal(stripped.messages[i], original.messages[i]);
  });
});

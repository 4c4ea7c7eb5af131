import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { itemsFromJson, itemsFromJsonl } from '../../src/batch/batch-input.ts';
import { GatewayError } from '../../src/errors.ts';

const chat = (text: string) => ({ model: 'sonnet', messages: [{ role: 'user', content: text }] });

function rejects(run: () => unknown, param: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param && message.test(error.message));
}

describe('itemsFromJson', () => {
  test('accepts plain chat bodies, {custom_id, body} entries and OpenAI-style entries', () => {
    const { items, options } = itemsFromJson({
      requests: [chat('a'), { custom_id: 'two', body: chat('b') }, { custom_id: 'three', method: 'POST', url: '/v1/chat/completions', body: chat('c') }],
      metadata: { team: 'x' },
    });
    assert.deepEqual(items, [
      { customId: 'request-1', body: chat('a') },
      { customId: 'two', body: chat('b') },
      { customId: 'three', body: chat('c') },
    ]);
    assert.deepEqual(options, { metadata: { team: 'x' }, completionWindow: '24h' });
    assert.deepEqual(itemsFromJson([chat('a')]).items, [{ customId: 'request-1', body: chat('a') }]);
  });

  test('refuses empty batches, repeated ids and bad fields', () => {
    rejects(() => itemsFromJson({ requests: [] }), 'requests', /at least one/);
    rejects(() => itemsFromJson({ requests: [{ custom_id: 'x', body: chat('a') }, { custom_id: 'x', body: chat('b') }] }), 'requests', /used twice/);
    rejects(() => itemsFromJson({ nothing: true }), 'requests', /requests/);
    rejects(() => itemsFromJson({ requests: [chat('a')], completion_window: '1h' }), 'completion_window', /24h/);
    rejects(() => itemsFromJson({ requests: [{ url: '/v1/embeddings', body: {} }] }), 'requests[0].url', /chat\/completions/);
  });
});

describe('itemsFromJsonl', () => {
  test("reads OpenAI's batch lines, skipping blank ones", () => {
    const text = [
      JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: chat('one') }),
      '',
      JSON.stringify({ custom_id: 'b', method: 'POST', url: '/v1/chat/completions', body: chat('two') }),
      '',
    ].join('\n');
    assert.deepEqual(itemsFromJsonl(text), [
      { customId: 'a', body: chat('one') },
      { customId: 'b', body: chat('two') },
    ]);
  });

  test('names the line that is wrong', () => {
    rejects(() => itemsFromJsonl('{"custom_id":"a","url":"/v1/chat/completions","body":{}}\nnot json'), 'file', /line 2 .*not valid JSON/);
    rejects(() => itemsFromJsonl('{"url":"/v1/chat/completions","body":{}}'), 'file', /line 1: custom_id/);
    rejects(() => itemsFromJsonl('{"custom_id":"a","url":"/v1/completions","body":{}}'), 'file', /line 1: url/);
  });
});

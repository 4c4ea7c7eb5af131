// Closing a listening gateway while clients hold connections open but have nothing in flight.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { eventually, messageCalls } from './scripted-model.ts';

const PROMPT_MS = 500;

/** Whether `h.close()` finished within PROMPT_MS; `release` then lets it finish in any case. */
async function closesPromptly(h: Harness, release: () => Promise<void> | void): Promise<boolean> {
  const closing = h.close();
  const outcome = await Promise.race([
    closing.then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, PROMPT_MS, false)),
  ]);
  await release();
  await closing;
  return outcome;
}

test('an idle connection that never sent a request does not hold up closing', async () => {
  const h = await startHarness({ listen: true });
  const socket = net.connect(Number(new URL(h.baseURL).port), '127.0.0.1');
  await once(socket, 'connect');
  const prompt = await closesPromptly(h, () => {
    socket.destroy();
  });
  assert.ok(prompt, `close() took longer than ${PROMPT_MS} ms`);
});

test('after a client aborted a request, closing is still prompt', async () => {
  const h = await startHarness({ listen: true });
  const pool = new Agent();
  const post = (content: string, signal?: AbortSignal) =>
    undiciFetch(`${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { ...h.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sonnet', messages: [{ role: 'user', content }] }),
      dispatcher: pool,
      ...(signal ? { signal } : {}),
    });
  await (await post('warm up the connection')).text();
  h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'too late' }], delayMs: 3000 }));
  const mark = h.fake.requests.length;
  const controller = new AbortController();
  const pending = post('slow', controller.signal);
  await eventually(() => messageCalls(h.fake.requests, mark).length === 1, 2000, 'the upstream call');
  controller.abort();
  await pending.catch(() => undefined);
  await eventually(() => messageCalls(h.fake.requests, mark)[0]!.aborted, 2000, 'the upstream abort');
  // undici has now opened a fresh connection that it keeps, unused, for its keep-alive time.
  const prompt = await closesPromptly(h, () => pool.destroy());
  assert.ok(prompt, `close() took longer than ${PROMPT_MS} ms`);
});

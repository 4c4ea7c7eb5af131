// `npm run gateway:demo` as a user runs it: the built bundle in demo mode (its own fake upstream, bundled
// with it) answering the official OpenAI SDK, streamed and not, and recording what it served.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import OpenAI from 'openai';
import { BUILT_CLI, ensureBuilt } from '../helpers/built-gateway.ts';
import { startCli } from '../helpers/cli-process.ts';

before(ensureBuilt);

test('the built gateway in demo mode answers the OpenAI SDK and meters what it served', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-built-demo-'));
  const key = 'built-demo-gateway-key-0123';
  const gateway = await startCli({ DATA_DIR: dataDir, GATEWAY_API_KEY: key, ADMIN_API_KEY: 'built-demo-admin-key-0123' }, { entry: BUILT_CLI, args: ['--demo'] });
  try {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key });
    const answer = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Say hello.' }] });
    assert.ok(answer.choices[0]?.message.content);
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Count to three.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage?.prompt_tokens ?? usage;
    }
    assert.ok(text.length > 0 && usage > 0);
    const requests = await fetch(`${gateway.url}/admin/requests?limit=5`, { headers: { authorization: 'Bearer built-demo-admin-key-0123' } });
    assert.equal(requests.status, 200);
    assert.equal(((await requests.json()) as { data: unknown[] }).data.length >= 2, true);
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

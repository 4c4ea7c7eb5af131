// Each provider end to end: the openai SDK drives a listening gateway whose only upstream is one fake at a
// time (Anthropic, Bedrock, Vertex), streamed and not, and X-Upstream names who answered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { GATEWAY_KEY } from '../helpers/harness.ts';
import { labUpstreams, startUpstreamLab, type UpstreamLab } from '../helpers/upstream-lab.ts';
import { startHarness } from '../helpers/harness.ts';
import { AWS_KEYS, AWS_REGION, BEDROCK_API_KEY } from '../fake-cloud/bedrock.ts';
import type { BedrockCredentials, UpstreamConfig } from '../../src/config/upstreams.ts';

const prompt = [{ role: 'user' as const, content: 'Say hello from the cloud.' }];

for (const name of ['primary', 'bedrock', 'vertex', 'foundry'] as const) {
  describe(`one ${name} upstream`, () => {
    let lab: UpstreamLab;
    let client: OpenAI;
    before(async () => {
      lab = await startUpstreamLab({ weights: { [name]: 1 } });
      // Foundry serves the same Messages API with its resource's key: the primary fake stands in for it.
      client = new OpenAI({ baseURL: lab.h.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
    });
    after(() => lab.close());

    test('a completion comes back with usage, and X-Upstream names the upstream', async () => {
      const { data, response } = await client.chat.completions.create({ model: 'claude-sonnet-5-5', messages: prompt, max_tokens: 64 }).withResponse();
      assert.equal(response.headers.get('x-upstream'), name);
      assert.equal(data.choices[0]!.finish_reason, 'stop');
      assert.ok(data.choices[0]!.message.content!.length > 0);
      assert.ok(data.usage!.prompt_tokens > 0);
    });

    test('a stream comes back whole, usage chunk included', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model: 'claude-sonnet-5-5', messages: prompt, max_tokens: 64, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      assert.equal(response.headers.get('x-upstream'), name);
      let text = '';
      let usage;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.ok(text.length > 0);
      assert.ok(usage && usage.completion_tokens > 0);
    });

    test('the pass-through speaks to it too', async () => {
      const res = await fetch(lab.h.baseURL.replace(/\/v1$/, '') + '/v1/messages', {
        method: 'POST',
        headers: { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 32, messages: prompt, stream: true }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-upstream'), name);
      const text = await res.text();
      assert.match(text, /event: message_start/);
      assert.match(text, /event: message_stop/);
    });

    test('count_tokens goes where it is served: Anthropic, Vertex, Foundry; not Bedrock', async () => {
      const res = await fetch(lab.h.baseURL.replace(/\/v1$/, '') + '/v1/messages/count_tokens', {
        method: 'POST',
        headers: { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-5-5', messages: prompt }),
      });
      const body = (await res.json()) as { input_tokens?: number; error?: { type: string; message: string } };
      if (name === 'bedrock') {
        assert.equal(res.status, 404);
        assert.match(body.error!.message, /No configured upstream serves/);
      } else {
        assert.equal(res.status, 200);
        assert.ok(body.input_tokens! > 0);
      }
    });
  });
}

describe('Bedrock credentials', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({ weights: { bedrock: 1 } });
  });
  after(() => lab.close());

  async function askThrough(credentials: BedrockCredentials): Promise<{ status: number; upstream: string | null }> {
    const upstreams = labUpstreams({ primary: lab.primary.url, secondary: lab.secondary.url, bedrock: lab.bedrock.url, vertex: lab.vertex.url }, { bedrock: 1 });
    const h = await startHarness({ listen: true, config: { upstreams: upstreams.map((u) => ({ ...u, credentials } as UpstreamConfig)) } });
    try {
      const res = await fetch(`${h.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-5-5', messages: prompt, max_tokens: 16 }),
      });
      await res.text();
      return { status: res.status, upstream: res.headers.get('x-upstream') };
    } finally {
      await h.close();
    }
  }

  test('the AWS default credential chain (here: the environment) signs when no keys are configured', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = AWS_KEYS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = AWS_KEYS.secretAccessKey;
    try {
      assert.deepEqual(await askThrough({ region: AWS_REGION }), { status: 200, upstream: 'bedrock' });
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });

  test('a Bedrock API key goes as a bearer token; wrong keys are refused as Bedrock refuses them', async () => {
    assert.deepEqual(await askThrough({ region: AWS_REGION, apiKey: BEDROCK_API_KEY }), { status: 200, upstream: 'bedrock' });
    const wrong = await askThrough({ region: AWS_REGION, accessKeyId: AWS_KEYS.accessKeyId, secretAccessKey: 'not-the-secret' });
    assert.equal(wrong.status, 403);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

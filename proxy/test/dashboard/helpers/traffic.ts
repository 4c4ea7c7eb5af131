// Real traffic for the dashboard to show: chat requests through a listening gateway with the openai SDK,
// streamed and not, across model aliases, repeated conversations (so caches can hit) and one failing request.
import OpenAI from 'openai';

export interface TrafficResult {
  ok: number;
  failed: number;
}

const SYSTEM = `You are a coding assistant working in a TypeScript repository. ${'Follow the project conventions closely. '.repeat(120)}`;

export async function sendTraffic(baseURL: string, apiKey: string, count: number): Promise<TrafficResult> {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  const models = ['sonnet', 'opus', 'haiku', 'claude-sonnet-5-5'];
  let ok = 0;
  let failed = 0;
  const one = async (i: number) => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `Task ${i % 6}: explain what the function in src/file-${i % 6}.ts does.` },
    ];
    const model = models[i % models.length]!;
    try {
      if (i % 3 === 0) {
        const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true }, max_tokens: 200 });
        for await (const _chunk of stream) {
          /* drain */
        }
      } else {
        await client.chat.completions.create({ model, messages, max_tokens: 200 });
      }
      ok++;
    } catch {
      failed++;
    }
  };
  // A few at a time: enough to look like an IDE, gentle on a two-core machine.
  for (let i = 0; i < count; i += 4) await Promise.all([0, 1, 2, 3].filter((k) => i + k < count).map((k) => one(i + k)));
  try {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
  } catch {
    failed++;
  }
  return { ok, failed };
}

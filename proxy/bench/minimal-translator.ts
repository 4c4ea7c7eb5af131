// The floor the benchmark compares the gateway with: an OpenAI-to-Anthropic translator on plain node:http that
// parses the body, maps it, serialises it, forwards it over a keep-alive pool and maps the answer back, nothing
// else (no auth, logging, limits, reduction or records). Whatever the gateway adds beyond this is its own cost.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { toAnthropic, toChatCompletion, type Json } from './floor-mapping.ts';

const upstream = new Pool(process.env['UPSTREAM_URL']!, { connections: 64, keepAliveTimeout: 30_000 });
const headers = { 'content-type': 'application/json', 'x-api-key': process.env['UPSTREAM_KEY']!, 'anthropic-version': '2023-06-01' };
const chunk = (delta: Json, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-min', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

async function relayStream(body: AsyncIterable<Buffer>, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk({ role: 'assistant', content: '' }));
  let pending = '';
  for await (const part of body) {
    pending += part.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('data: ')) continue;
      const event = JSON.parse(line.slice(6));
      if (event.delta?.type === 'text_delta') res.write(chunk({ content: event.delta.text }));
      else if (event.type === 'message_delta') res.write(chunk({}, event.delta.stop_reason === 'tool_use' ? 'tool_calls' : 'stop'));
    }
  }
  res.end('data: [DONE]\n\n');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const body = toAnthropic(JSON.parse(Buffer.concat(parts).toString('utf8')));
  const answer = await upstream.request({ method: 'POST', path: '/v1/messages', headers, body: JSON.stringify(body) });
  if (body.stream && answer.statusCode === 200) return relayStream(answer.body, res);
  if (answer.statusCode !== 200) return void res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(await answer.body.text());
  res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify(toChatCompletion((await answer.body.json()) as Json)));
}

const server = createServer((req, res) => void handle(req, res).catch((error: Error) => res.writeHead(500).end(error.message)));
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`minimal translator listening on http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

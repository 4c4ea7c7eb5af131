// The floor the benchmark compares the gateway with: an OpenAI-to-Anthropic translator on plain node:http that
// parses the body, maps it, serialises it, forwards it over a keep-alive pool and maps the answer back, nothing
// else (no auth, logging, limits, reduction or records). Whatever the gateway adds beyond this is its own cost.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a deliberately bare mapper
const upstream = new Pool(process.env['UPSTREAM_URL']!, { connections: 64, keepAliveTimeout: 30_000 });
const headers = { 'content-type': 'application/json', 'x-api-key': process.env['UPSTREAM_KEY']!, 'anthropic-version': '2023-06-01' };
const text = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p: Json) => p.text ?? '').join('') : '');

function toAnthropic(body: Json): Json {
  const system = body.messages.filter((m: Json) => m.role === 'system').map((m: Json) => text(m.content)).join('\n');
  const messages: Json[] = [];
  const push = (role: string, block: Json) => {
    const last = messages[messages.length - 1];
    if (last?.role === role) last.content.push(block);
    else messages.push({ role, content: [block] });
  };
  const ids = new Map<string, string>(); // some agents reuse a call id; Anthropic needs unique ones
  let reused = 0;
  const idFor = (id: string) => (ids.has(id) ? `${id}_${++reused}` : id);
  for (const m of body.messages as Json[]) {
    if (m.role === 'tool') push('user', { type: 'tool_result', tool_use_id: ids.get(m.tool_call_id) ?? m.tool_call_id, content: text(m.content) });
    else if (m.role === 'user') push('user', { type: 'text', text: text(m.content) || '.' });
    else if (m.role === 'assistant') {
      if (text(m.content)) push('assistant', { type: 'text', text: text(m.content) });
      for (const c of m.tool_calls ?? []) ids.set(c.id, idFor(c.id));
      for (const c of m.tool_calls ?? []) push('assistant', { type: 'tool_use', id: ids.get(c.id), name: c.function.name, input: JSON.parse(c.function.arguments || '{}') });
    }
  }
  const tools = body.tools?.map((t: Json) => ({ name: t.function.name, description: t.function.description, input_schema: t.function.parameters }));
  return { model: body.model, max_tokens: body.max_tokens ?? 4096, system: system || undefined, messages, tools, stream: body.stream || undefined };
}

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
  const message = (await answer.body.json()) as Json;
  const content = message.content?.filter((b: Json) => b.type === 'text').map((b: Json) => b.text).join('') ?? null;
  res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: message.id, object: 'chat.completion', model: message.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: message.usage }));
}

const server = createServer((req, res) => void handle(req, res).catch((error: Error) => res.writeHead(500).end(error.message)));
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`minimal translator listening on http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

// The reference servers of `npm run bench -- --references`: what a few fixed pieces of any gateway cost on this
// machine, to set the targets against. REFERENCE picks one:
//   forward          reads the body and forwards its bytes unchanged (no parse): the transport alone
//   parse-forward    the same, with one JSON.parse and one JSON.stringify of the body
//   fastify          the floor's translator (floor-mapping.ts) on Fastify instead of plain node:http
//   fastify-journal  that, plus the gateway's own usage journal: one usage record appended per request, before
//                    the response ends, as the gateway does
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { UsageJournal } from '../src/store/usage-journal.ts';
import { SHIPPED_PRICES } from '../src/usage/prices.ts';
import { buildUsageRecord } from '../src/usage/record.ts';
import { toAnthropic, toChatCompletion, type Json } from './floor-mapping.ts';

const reference = process.env['REFERENCE'] ?? 'forward';
const upstream = new Pool(process.env['UPSTREAM_URL']!, { connections: 64, keepAliveTimeout: 30_000 });
const headers = { 'content-type': 'application/json', 'x-api-key': process.env['UPSTREAM_KEY']!, 'anthropic-version': '2023-06-01' };
const listening = (port: number) => console.log(`reference ${reference} listening on http://127.0.0.1:${port}`);

async function post(body: string | Buffer) {
  return upstream.request({ method: 'POST', path: '/v1/messages', headers, body });
}

function forwarder(parse: boolean): void {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const bytes = Buffer.concat(parts);
      const body = parse ? JSON.stringify(JSON.parse(bytes.toString('utf8'))) : bytes;
      post(body)
        .then(async (answer) => res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(await answer.body.text()))
        .catch((error: Error) => res.writeHead(500).end(error.message));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => listening((server.address() as { port: number }).port));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

async function onFastify(withJournal: boolean): Promise<void> {
  const journalDir = withJournal ? mkdtempSync(join(tmpdir(), 'coding-gateway-reference-')) : undefined;
  const journal = journalDir ? new UsageJournal(journalDir, 'bench') : undefined;
  const app = Fastify({ logger: false });
  const prices = new Map(SHIPPED_PRICES.map((p) => [p.model, p]));
  let sequence = 0;
  app.post('/v1/chat/completions', async (request, reply) => {
    const startedAt = Date.now();
    const body = toAnthropic(request.body as Json);
    const answer = await post(JSON.stringify(body));
    const message = (await answer.body.json()) as Json;
    if (journal) {
      const id = `req_${process.pid}_${++sequence}`;
      const usage = { prompt: message.usage?.input_tokens, completion: message.usage?.output_tokens, cacheRead: 0, cacheWrite: 0 };
      const record = { startedAt, endpoint: 'chat' as const, model: body.model, projectId: 'default', stream: false, messages: body.messages.length, usage, finishReason: 'stop' };
      const ctx = { id, endpoint: 'chat' as const, record, projectId: 'default', keyId: 'key', client: request.headers['user-agent'] ?? null, status: 200, endedAt: Date.now(), prices };
      journal.append({ kind: 'usage', key: id, record: buildUsageRecord(ctx) });
    }
    return reply.send(toChatCompletion(message));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  listening((app.server.address() as { port: number }).port);
  process.once('SIGTERM', () => {
    journal?.close();
    if (journalDir) rmSync(journalDir, { recursive: true, force: true });
    void app.close().then(() => process.exit(0));
  });
}

if (reference === 'forward' || reference === 'parse-forward') forwarder(reference === 'parse-forward');
else if (reference === 'fastify' || reference === 'fastify-journal') await onFastify(reference === 'fastify-journal');
else throw new Error(`unknown REFERENCE ${reference}`);

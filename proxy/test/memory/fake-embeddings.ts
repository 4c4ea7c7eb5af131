// A fake OpenAI-compatible embeddings endpoint for tests: each text becomes a bag of its words hashed into 64
// dimensions, with a few words folded into shared concepts (so "database" and "postgres" land together, which
// full-text search cannot see). Counts the calls it gets.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const DIMS = 64;
const CONCEPTS: Record<string, string> = {
  database: 'storage-engine',
  databases: 'storage-engine',
  postgres: 'storage-engine',
  postgresql: 'storage-engine',
  sqlite: 'storage-engine',
  mysql: 'storage-engine',
  tabs: 'indentation',
  spaces: 'indentation',
  indentation: 'indentation',
  indent: 'indentation',
};

function bucket(word: string): number {
  let h = 2166136261;
  for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h % DIMS;
}

export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMS).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []) {
    const word = CONCEPTS[raw] ?? raw;
    vector[bucket(word)]! += CONCEPTS[raw] ? 3 : 1;
  }
  return vector;
}

export interface FakeEmbeddings {
  url: string;
  calls: Array<{ model: string; input: string[]; authorization: string | undefined }>;
  /** Makes every following call fail with this status (0 to answer again). */
  failWith(status: number): void;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const calls: FakeEmbeddings['calls'] = [];
  let failure = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      calls.push({ model: body.model, input, authorization: req.headers.authorization });
      if (failure) {
        res.writeHead(failure, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
        return;
      }
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })).reverse();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    failWith: (status) => {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
